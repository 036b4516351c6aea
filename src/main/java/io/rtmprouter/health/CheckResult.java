package io.rtmprouter.health;

import io.rtmprouter.config.CheckStatus;

/**
 * The outcome of one health check, worded as HAProxy words it.
 *
 * @param code the HTTP status of an HTTP check (0 otherwise), shown for layer 7 statuses
 * @param info what HAProxy puts in `info: "..."`, or null
 */
public record CheckResult(CheckStatus status, int code, String info, long durationMillis) {
    public boolean passed() {
        return status.passed();
    }

    /** ", reason: ..., code: ..., info: "...", check duration: Nms", as HAProxy appends it to a server's change. */
    public String describe() {
        StringBuilder s = new StringBuilder(", reason: ").append(status.reason());
        if (status.hasCode()) {
            s.append(", code: ").append(code);
        }
        if (info != null && !info.isEmpty()) {
            s.append(", info: \"").append(asciiEncoded(info)).append('"');
        }
        // A result not from a check (Health analyze) has no duration, and HAProxy shows none.
        return durationMillis < 0 ? s.toString() : s.append(", check duration: ").append(durationMillis).append("ms").toString();
    }

    /** HAProxy's chunk_asciiencode: a quote, `<`, `>` or a byte outside printable ASCII becomes "<XX>". */
    private static String asciiEncoded(String info) {
        StringBuilder s = new StringBuilder(info.length());
        for (int i = 0; i < info.length(); i++) {
            char c = info.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '<' || c == '>') {
                s.append('<').append(String.format("%02X", (int) c & 0xff)).append('>');
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }

    /** @param info "(tcp-check)" when the rules say `tcp-check connect` and nothing more, else null */
    static CheckResult connected(String info, long durationMillis) {
        return new CheckResult(CheckStatus.L4OK, 0, info, durationMillis);
    }

    static CheckResult connectionProblem(String info, long durationMillis) {
        return new CheckResult(CheckStatus.L4CON, 0, info, durationMillis);
    }

    static CheckResult timeout(long durationMillis) {
        return new CheckResult(CheckStatus.L4TOUT, 0, null, durationMillis);
    }
}
