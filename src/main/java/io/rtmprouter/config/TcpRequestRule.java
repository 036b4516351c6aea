package io.rtmprouter.config;

/**
 * `tcp-request connection|content ACTION [if|unless COND]`. Accept and reject end the rules;
 * the stick-counter actions do their work and the rules go on, as in HAProxy.
 *
 * @param counter the stick counter a `track-scN` or `sc-*` action names; -1 for accept and reject
 * @param table   the table `track-scN` tracks the client in: its `table` argument or the proxy's own
 * @param value   what `sc-set-gpt0` sets
 */
public record TcpRequestRule(Action action, int counter, String table, long value, Condition condition,
                             SourceLocation where) {
    public enum Action {
        ACCEPT("accept"), REJECT("reject"), TRACK("track-sc"), INC_GPC0("sc-inc-gpc0"), INC_GPC1("sc-inc-gpc1"),
        SET_GPT0("sc-set-gpt0"),
        /** `expect-proxy layer4`: this connection starts with a PROXY header, as on an accept-proxy bind. */
        EXPECT_PROXY("expect-proxy layer4");

        private final String keyword;

        Action(String keyword) {
            this.keyword = keyword;
        }

        /** Whether the rules stop at it. */
        public boolean ends() {
            return this == ACCEPT || this == REJECT;
        }
    }

    public static TcpRequestRule accept(boolean accept, Condition condition, SourceLocation where) {
        return new TcpRequestRule(accept ? Action.ACCEPT : Action.REJECT, -1, null, 0, condition, where);
    }

    public boolean applies(FetchedValues values) {
        return condition == null || condition.holds(values);
    }

    TcpRequestRule withCondition(Condition c) {
        return new TcpRequestRule(action, counter, table, value, c, where);
    }

    @Override
    public String toString() {
        String a = switch (action) {
            case TRACK -> "track-sc" + counter + " src table " + table;
            case EXPECT_PROXY -> action.keyword;
            case INC_GPC0, INC_GPC1, SET_GPT0 -> action.keyword + "(" + counter + ")"
                    + (action == Action.SET_GPT0 ? " " + value : "");
            default -> action.keyword;
        };
        return a + (condition == null ? "" : " " + condition) + " (" + where + ")";
    }
}
