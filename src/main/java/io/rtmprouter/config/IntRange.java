package io.rtmprouter.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One integer pattern of an ACL, as HAProxy's `-m int` reads them: `N`, `N:M`, `N:`, `:M`, or an
 * operator (`eq`, `ge`, `gt`, `le`, `lt`) and the value after it.
 */
public record IntRange(long min, long max) {
    /** `gt` the largest value, `lt` the smallest: nothing matches. */
    private static final IntRange NONE = new IntRange(1, 0);

    public boolean contains(long value) {
        return value >= min && value <= max;
    }

    static List<IntRange> parse(List<String> words, SourceLocation where) throws ConfigException {
        List<IntRange> out = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            String op = switch (w) {
                case "eq", "ge", "gt", "le", "lt" -> w;
                default -> null;
            };
            if (op == null) {
                out.add(range(w, where));
                continue;
            }
            if (++i >= words.size()) {
                throw new ConfigException(where, "operator '" + op + "' is not followed by a value");
            }
            long v = number(words.get(i), where);
            out.add(switch (op) {
                case "eq" -> new IntRange(v, v);
                case "ge" -> new IntRange(v, Long.MAX_VALUE);
                case "gt" -> v == Long.MAX_VALUE ? NONE : new IntRange(v + 1, Long.MAX_VALUE);
                case "le" -> new IntRange(Long.MIN_VALUE, v);
                default -> v == Long.MIN_VALUE ? NONE : new IntRange(Long.MIN_VALUE, v - 1);
            });
        }
        return out;
    }

    private static IntRange range(String w, SourceLocation where) throws ConfigException {
        int colon = w.indexOf(':');
        if (colon < 0) {
            long v = number(w, where);
            return new IntRange(v, v);
        }
        long min = colon == 0 ? Long.MIN_VALUE : number(w.substring(0, colon), where);
        long max = colon == w.length() - 1 ? Long.MAX_VALUE : number(w.substring(colon + 1), where);
        if (colon == 0 && colon == w.length() - 1) {
            throw new ConfigException(where, "'" + w + "' is no integer range");
        }
        return new IntRange(min, max);
    }

    private static long number(String w, SourceLocation where) throws ConfigException {
        try {
            return Long.parseLong(w);
        } catch (NumberFormatException e) {
            throw new ConfigException(where, "'" + w + "' is not an integer (expected N, N:M, or eq|ge|gt|le|lt N)");
        }
    }
}
