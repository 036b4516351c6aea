package io.rtmprouter.config;

/**
 * A `stick` rule on the client's source address. `table` names the backend whose stick-table is
 * used (the rule's own backend unless `table NAME` is given).
 */
public record StickRule(Kind kind, String table, SourceLocation where) {
    public enum Kind {
        /** `stick on src`: match, then store. */
        ON,
        /** `stick match src`. */
        MATCH,
        /** `stick store-request src`. */
        STORE_REQUEST;

        public boolean matches() {
            return this != STORE_REQUEST;
        }

        public boolean stores() {
            return this != MATCH;
        }
    }
}
