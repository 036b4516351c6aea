package io.rtmprouter.config;

/** `use_backend NAME [if|unless COND]`; the first rule whose condition holds picks the backend. */
public record UseBackendRule(String backend, Condition condition, SourceLocation where) {
    public boolean applies(FetchedValues values) {
        return condition == null || condition.holds(values);
    }
}
