package io.rtmprouter.config;

import java.time.Duration;

/** HAProxy's value syntaxes: durations (default unit ms), sizes (k/m/g = powers of 1024), integers. */
public final class Values {
    private Values() {
    }

    public static Duration duration(String text, SourceLocation where, String keyword) throws ConfigException {
        int split = 0;
        while (split < text.length() && Character.isDigit(text.charAt(split))) {
            split++;
        }
        if (split == 0) {
            throw new ConfigException(where, "'" + keyword + "' expects a duration such as 100ms, 5s, 20m, got '" + text + "'");
        }
        long amount;
        try {
            amount = Long.parseLong(text.substring(0, split));
        } catch (NumberFormatException e) {
            throw new ConfigException(where, "'" + keyword + "': duration '" + text + "' is too large");
        }
        String unit = text.substring(split);
        Duration unitLength = switch (unit) {
            case "", "ms" -> Duration.ofMillis(1);
            case "us" -> Duration.ofNanos(1000);
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            case "d" -> Duration.ofDays(1);
            default -> null;
        };
        if (unitLength == null) {
            throw new ConfigException(where, "'" + keyword + "': unknown time unit '" + unit + "' in '" + text
                    + "' (expected us, ms, s, m, h or d)");
        }
        // HAProxy keeps timers in milliseconds on 31 bits: about 24.8 days at most.
        Duration value = unitLength.multipliedBy(amount);
        if (value.toMillis() > Integer.MAX_VALUE) {
            throw new ConfigException(where, "'" + keyword + "': duration '" + text + "' exceeds 2147483647ms");
        }
        return value;
    }

    static long size(String text, SourceLocation where, String keyword) throws ConfigException {
        if (text.isEmpty()) {
            throw new ConfigException(where, "'" + keyword + "' expects a size");
        }
        char last = Character.toLowerCase(text.charAt(text.length() - 1));
        long multiplier = switch (last) {
            case 'k' -> 1024L;
            case 'm' -> 1024L * 1024;
            case 'g' -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        String digits = multiplier == 1 ? text : text.substring(0, text.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, multiplier);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException(where, "'" + keyword + "' expects a size such as 200k or 1m, got '" + text + "'");
        }
    }

    static int integer(String text, SourceLocation where, String keyword, int min, int max) throws ConfigException {
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(where, "'" + keyword + "' expects an integer, got '" + text + "'");
        }
        if (n < min || n > max) {
            throw new ConfigException(where, "'" + keyword + "' must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }
}
