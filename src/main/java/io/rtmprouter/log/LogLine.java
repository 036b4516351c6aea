package io.rtmprouter.log;

/**
 * Builds one logfmt line: key=value pairs, values quoted when they hold blanks, quotes, '=' or
 * characters that could break the line, which are escaped.
 */
public final class LogLine {
    private final StringBuilder sb = new StringBuilder(256);

    public LogLine add(String key, Object value) {
        if (!sb.isEmpty()) {
            sb.append(' ');
        }
        sb.append(key).append('=');
        String v = value == null ? "-" : value.toString();
        if (v.isEmpty() || needsQuotes(v)) {
            sb.append('"');
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (breaksLines(c)) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        } else {
            sb.append(v);
        }
        return this;
    }

    private static boolean needsQuotes(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= ' ' || c == '"' || c == '=' || c == '\\' || breaksLines(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Characters a log reader may take for a line break or a terminal control, which a client must
     * not be able to put into a line: C0 and C1 controls (U+0085 NEL among them), DEL, and U+2028
     * and U+2029. They are written as \\uXXXX.
     */
    private static boolean breaksLines(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
