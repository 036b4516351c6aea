package io.rtmprouter.config;

/** `tcp-request connection|content accept|reject [if|unless COND]`. */
public record TcpRequestRule(boolean accept, Condition condition, SourceLocation where) {
    public boolean applies(FetchedValues values) {
        return condition == null || condition.holds(values);
    }

    @Override
    public String toString() {
        return (accept ? "accept" : "reject") + (condition == null ? "" : " " + condition) + " (" + where + ")";
    }
}
