package io.rtmprouter.config;

import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * One `acl` line (or an anonymous `{ ... }` one): a fetch, how to match, and its patterns.
 * It holds when any pattern matches; a fetch with no value never matches, except under `!`.
 *
 * @param counter the stick counter a {@link Fetch#STICK_COUNTER} reads; null for the others
 * @param ranges  the patterns of `-m int`
 */
public record AclConfig(String name, Fetch fetch, CounterFetch counter, MatchMethod method, boolean ignoreCase,
                        List<String> patterns, List<Pattern> regexes, List<Network> networks, List<IntRange> ranges,
                        SourceLocation where) {
    public AclConfig {
        // With -i both sides are compared lower-cased; the patterns once, here, not per session.
        patterns = ignoreCase ? patterns.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList() : List.copyOf(patterns);
        regexes = List.copyOf(regexes);
        networks = List.copyOf(networks);
        ranges = List.copyOf(ranges);
    }

    /** A string or address ACL. */
    public AclConfig(String name, Fetch fetch, MatchMethod method, boolean ignoreCase, List<String> patterns,
                     List<Pattern> regexes, List<Network> networks, SourceLocation where) {
        this(name, fetch, null, method, ignoreCase, patterns, regexes, networks, List.of(), where);
    }

    public boolean matches(FetchedValues values) {
        if (fetch == Fetch.SRC) {
            return method == MatchMethod.FOUND
                    || networks.stream().anyMatch(n -> n.contains(values.source()));
        }
        if (fetch == Fetch.STICK_COUNTER) {
            OptionalLong v = values.counter(counter);
            if (v.isEmpty()) {
                return false;
            }
            return method == MatchMethod.FOUND || ranges.stream().anyMatch(r -> r.contains(v.getAsLong()));
        }
        String value = values.text(fetch);
        if (value == null) {
            return false;
        }
        if (method == MatchMethod.FOUND) {
            return true;
        }
        if (method == MatchMethod.REG) {
            return regexes.stream().anyMatch(r -> r.matcher(value).find());
        }
        String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
        for (String p : patterns) {
            boolean hit = switch (method) {
                case STR -> v.equals(p);
                case BEG -> v.startsWith(p);
                case END -> v.endsWith(p);
                case SUB -> v.contains(p);
                default -> false;
            };
            if (hit) {
                return true;
            }
        }
        return false;
    }
}
