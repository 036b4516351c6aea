package io.rtmprouter.config;

import java.util.List;

/**
 * What a backend's health check does once its connection is made, in HAProxy's terms: nothing
 * more (a TCP connect check), a `tcp-check` sequence (`option tcp-check`), or an HTTP request
 * and its expectations (`option httpchk` and `http-check`). HAProxy runs every kind as a
 * sequence of rules; so does rtmp-router.
 *
 * @param connectPort     `tcp-check connect port N`: the port to check, over the server's; 0 when not set
 * @param explicitConnect the rules start with `tcp-check connect` (its success then says "(tcp-check)")
 * @param rules           the rules after the connection, in order; an HTTP check's first is its request
 */
public record HealthCheckConfig(Kind kind, int connectPort, boolean explicitConnect, List<CheckRule> rules) {
    public enum Kind {
        /** Only the connection: "Layer4 check passed". */
        CONNECT("tcp-check"),
        /** `option tcp-check` with its rules. */
        TCP("tcp-check"),
        /** `option httpchk`. */
        HTTP("http-check"),
        /** `option redis-check`: HAProxy's own rules, PING and +PONG. */
        REDIS("tcp-check"),
        /** `option ssl-hello-chk`: HAProxy's SSLv3 client hello, and a TLS record back. */
        SSL_HELLO("tcp-check"),
        /** `option smtpchk`: a greeting, HELO, a 2xx reply. */
        SMTP("tcp-check"),
        /** `option pgsql-check user NAME`: a StartupMessage, an authentication request back. */
        PGSQL("tcp-check"),
        /** `option mysql-check [user NAME]`: the greeting, and the answer to a login. */
        MYSQL("tcp-check"),
        /** `option ldap-check`: an anonymous LDAPv3 bind, its response. */
        LDAP("tcp-check"),
        /** rtmp-router's `option rtmp-check [APP]`: an RTMP handshake and a connect. */
        RTMP("rtmp-check");

        private final String rules;

        Kind(String rules) {
            this.rules = rules;
        }

        /** The keyword of its rules, as HAProxy names the check in its messages. */
        public String rulesKeyword() {
            return rules;
        }

        /** A check of a named protocol (HTTP, Redis...): HAProxy's timeout messages then name no step. */
        public boolean protocol() {
            return this != CONNECT && this != TCP;
        }
    }

    public static final HealthCheckConfig CONNECT = new HealthCheckConfig(Kind.CONNECT, 0, false, List.of());

    public HealthCheckConfig {
        rules = List.copyOf(rules);
    }
}
