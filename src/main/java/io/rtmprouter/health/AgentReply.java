package io.rtmprouter.health;

import java.util.Locale;

/**
 * One line from a server's agent, read as HAProxy reads it (tcpcheck_agent_expect_reply): words
 * separated by spaces, tabs or commas, up to the first CR or LF; `#` starts a description of a
 * health change. Words: `up`, `down`, `stopped`, `fail` (health), `ready`, `drain`, `maint`
 * (admin state), `N%` (weight), `maxconn:N`; of each kind the last wins; anything else is an
 * error, the first of which is kept.
 *
 * @param health      "up", "down", "stopped" or "fail"; null when the line says none
 * @param admin       "ready", "drain" or "maint"; null when it says none
 * @param weight      the weight in percent; -1 when none
 * @param maxconn     -1 when none
 * @param description what followed `#`, or ""
 * @param error       the first word not understood, or null
 */
record AgentReply(String health, String admin, int weight, int maxconn, String description, String error) {
    /** Agent lines longer than this are cut, as HAProxy's check buffer would hold them. */
    static final int MAX_LINE = 16384;

    static AgentReply parse(String line) {
        String health = null;
        String admin = null;
        int weight = -1;
        int maxconn = -1;
        String error = null;
        int i = 0;
        int n = line.length();
        String description = "";
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
                continue;
            }
            if (c == '#') {
                description = line.substring(i + 1).strip();
                break;
            }
            int end = i + 1;
            while (end < n && " \t,".indexOf(line.charAt(end)) < 0) {
                end++;
            }
            String word = line.substring(i, end);
            String w = word.toLowerCase(Locale.ROOT);
            switch (w) {
                case "up", "down", "stopped", "fail" -> health = w;
                case "ready", "drain", "maint" -> admin = w;
                default -> {
                    if (Character.isDigit(w.charAt(0)) && w.indexOf('%') > 0) {
                        weight = leadingNumber(w);
                    } else if (w.startsWith("maxconn:")) {
                        maxconn = leadingNumber(w.substring("maxconn:".length()));
                    } else if (error == null) {
                        error = word;
                    }
                }
            }
            i = end;
        }
        return new AgentReply(health, admin, weight, maxconn, description, error);
    }

    private static int leadingNumber(String s) {
        int v = 0;
        for (int i = 0; i < s.length() && Character.isDigit(s.charAt(i)) && v < 100_000; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }

    /** HAProxy's info of a health change: "via agent : down (description)". */
    String info() {
        String msg = description;
        if ((msg.isEmpty() || "up".equals(health)) && error != null) {
            msg = error;
        }
        return "via agent : " + health + (msg.isEmpty() ? "" : " (" + msg + ")");
    }
}
