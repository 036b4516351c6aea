package io.rtmprouter.config;

import java.util.List;
import java.util.regex.Pattern;

/** One step of a health check after its connection, as `tcp-check` and `http-check` write them. */
public sealed interface CheckRule {
    /** Whether `status` is in `codes`: "200", "200,301", "200-299" (checked when parsed). */
    static boolean statusMatches(String codes, int status) {
        for (String part : codes.split(",")) {
            int dash = part.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
            if (status >= from && status <= to) {
                return true;
            }
        }
        return false;
    }

    /**
     * `tcp-check send` / `send-binary`: bytes written to the server.
     *
     * @param step the rule's place among the `tcp-check` lines (comments count), for messages
     */
    record Send(byte[] data, String comment, int step) implements CheckRule {
    }

    /** The request of an HTTP check (`option httpchk`, `http-check send`), written as HAProxy writes it. */
    record HttpRequest(String method, String uri, String version, List<Header> headers, String body)
            implements CheckRule {
        public HttpRequest {
            headers = List.copyOf(headers);
        }
    }

    record Header(String name, String value) {
    }

    /**
     * rtmp-router's `option rtmp-check [APP]`: an RTMP handshake, then a connect to APP answered
     * NetConnection.Connect.Success; without APP, the handshake alone.
     */
    record RtmpConnect(String app) implements CheckRule {
    }

    /**
     * `tcp-check expect` / `http-check expect`: what the server's answer must (or, negated, must
     * not) hold.
     *
     * @param minRecv for tcp-check: bytes to wait for before matching (-1: as soon as it can)
     * @param text    the pattern as written, for messages
     * @param regex   the compiled pattern of a regex match, else null
     * @param bytes   the bytes of a string or binary match, else null
     * @param step    the rule's place among the `tcp-check` lines (comments count), for messages
     * @param onError `error-status`, or null for HAProxy's default (L7STS for a status, else L7RSP)
     * @param successInfo the info of a pass, as a protocol check's `on-success` gives it: fixed text, or
     *                    null for HAProxy's default (or for `successFrom`)
     * @param successFrom a protocol check's `on-success` taken from the answer
     * @param errorInfo   a protocol check's `on-error` as fixed text, or null
     * @param errorFrom   a protocol check's `on-error` taken from the answer
     * @param replyCode   `status-code res.payload(0,3)`: the answer's first three digits are the code
     */
    record Expect(Match match, boolean negated, String text, Pattern regex, byte[] bytes, int minRecv,
                  String comment, CheckStatus onSuccess, CheckStatus onError, CheckStatus onTimeout, int step,
                  String successInfo, AnswerPart successFrom, String errorInfo, AnswerPart errorFrom,
                  boolean replyCode) implements CheckRule {
        /** An expect as `tcp-check expect` or `http-check expect` writes it. */
        public Expect(Match match, boolean negated, String text, Pattern regex, byte[] bytes, int minRecv,
                      String comment, CheckStatus onSuccess, CheckStatus onError, CheckStatus onTimeout, int step) {
            this(match, negated, text, regex, bytes, minRecv, comment, onSuccess, onError, onTimeout, step, null,
                    AnswerPart.NONE, null, AnswerPart.NONE, false);
        }
    }

    /** The part of a server's answer a protocol check puts in its message's info. */
    enum AnswerPart {
        NONE,
        /** `res.payload(0,0),cut_crlf`: up to the first CR or LF. */
        LINE,
        /** `res.payload(4,0),ltrim(' '),cut_crlf`: an SMTP reply's text, after its code. */
        REPLY_TEXT,
        /**
         * `res.payload(6,0)`, up to the first NUL where HAProxy's message ends it: the severity of
         * a PostgreSQL error ("FATAL").
         */
        FROM_6
    }

    /**
     * HAProxy's custom expect of `option mysql-check`: a MySQL packet, the server's greeting or (with
     * a user) the packet after it; an error packet (0xff) is `Layer7 wrong status` with its code and
     * message; a pass has no info (as HAProxy's, whose version info its end of the rules overwrites).
     */
    record MysqlPacket(boolean afterGreeting, int step) implements CheckRule {
    }

    /**
     * HAProxy's custom expect of `option ldap-check`: an LDAPv3 bindResponse to message 1 (BER,
     * lengths of 1, 2 or 4 bytes); a non-zero resultCode is `Layer7 wrong status` with that code.
     */
    record LdapBindResponse(int step) implements CheckRule {
    }

    /** What an expect compares. */
    enum Match {
        STRING("string"), RSTRING("rstring"), BINARY("binary"), RBINARY("rbinary"),
        /** HTTP only: the status code against a list of codes and ranges. */
        STATUS("status"),
        RSTATUS("rstatus"),
        /** HTTP only: the body. */
        BODY_STRING("string"),
        BODY_RSTRING("rstring");

        private final String keyword;

        Match(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }

        public boolean http() {
            return this == STATUS || this == RSTATUS || this == BODY_STRING || this == BODY_RSTRING;
        }
    }
}
