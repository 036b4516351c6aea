package io.rtmprouter.log;

/** Builds one logfmt line: key=value pairs, values quoted when they hold blanks, quotes or '='. */
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
                    default -> sb.append(c < 0x20 ? '?' : c);
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
            if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
