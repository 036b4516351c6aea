package io.rtmprouter.config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HAProxy's conditional blocks in one configuration file: `.if COND`, `.elif COND`, `.else`,
 * `.endif`, and the `.diag|.notice|.warning|.alert "message"` directives. A condition is 0, a
 * non-zero integer, a predicate (`defined(NAME)`, `feature(NAME)`, `streq(A,B)`, `strneq(A,B)`,
 * `version_atleast(V)`, `version_before(V)`), a parenthesized condition, `!`, `&&` and `||`
 * (`&&` binds tighter), as HAProxy 2.6 evaluates them.
 */
final class ConditionalBlocks {
    /** The HAProxy version whose language rtmp-router reads: what `version_*` compare with. */
    static final String HAPROXY_VERSION = "2.6.12";
    /**
     * The `haproxy -vv` features rtmp-router provides in that language's terms: TLS termination
     * (OPENSSL), epoll, kernel splicing, transparent proxying, threads, Linux.
     */
    static final Set<String> FEATURES = Set.of("OPENSSL", "EPOLL", "LINUX_SPLICE", "TPROXY", "THREAD", "LINUX_TPROXY",
            "GETADDRINFO", "ACCEPT4", "CLOEXEC");

    /** One `.if` level. */
    private static final class Level {
        final SourceLocation where;
        /** The lines of the enclosing level are read. */
        final boolean parentActive;
        /** A branch of this level was taken: the later ones are not. */
        boolean taken;
        boolean active;
        boolean sawElse;

        Level(SourceLocation where, boolean parentActive) {
            this.where = where;
            this.parentActive = parentActive;
        }
    }

    private final Deque<Level> levels = new ArrayDeque<>();
    private final Map<String, String> environment;

    /** @param environment what `defined(NAME)` looks in (the parser's, as `setenv` left it) */
    ConditionalBlocks(Map<String, String> environment) {
        this.environment = environment;
    }

    /** Whether the lines here are read (not inside a branch that was not taken). */
    boolean active() {
        return levels.isEmpty() || levels.peek().active;
    }

    /**
     * Handles a directive line; returns false for any other line.
     *
     * @param warnings where `.warning` lines go
     */
    boolean handle(LineWords w, SourceLocation where, List<String> warnings) throws ConfigException {
        String kw = w.get(0);
        if (!kw.startsWith(".")) {
            return false;
        }
        w.readAll();
        List<String> rest = w.subList(1, w.size());
        switch (kw) {
            case ".if" -> {
                Level l = new Level(where, active());
                l.active = l.parentActive && evaluate(String.join(" ", rest), where);
                l.taken = l.active;
                levels.push(l);
            }
            case ".elif" -> {
                Level l = current(kw, where);
                if (l.sawElse) {
                    throw new ConfigException(where, "'.elif' after '.else'");
                }
                l.active = l.parentActive && !l.taken && evaluate(String.join(" ", rest), where);
                l.taken |= l.active;
            }
            case ".else" -> {
                Level l = current(kw, where);
                if (l.sawElse) {
                    throw new ConfigException(where, "'.else' already seen in the '.if' block at " + l.where);
                }
                l.sawElse = true;
                l.active = l.parentActive && !l.taken;
                l.taken = true;
            }
            case ".endif" -> {
                current(kw, where);
                levels.pop();
            }
            case ".diag", ".notice" -> {
                // Only for HAProxy's diagnostic mode and its notice level: nothing to say here.
            }
            case ".warning" -> {
                if (active()) {
                    warnings.add(Warnings.of(where, "'" + String.join(" ", rest) + "'."));
                }
            }
            case ".alert" -> {
                if (active()) {
                    throw new ConfigException(where, "'" + String.join(" ", rest) + "'.");
                }
            }
            default -> throw new ConfigException(where, "unknown directive '" + kw + "'" + Suggestions.hint(kw,
                    List.of(".if", ".elif", ".else", ".endif", ".diag", ".notice", ".warning", ".alert")));
        }
        return true;
    }

    private Level current(String kw, SourceLocation where) throws ConfigException {
        if (levels.isEmpty()) {
            throw new ConfigException(where, "'" + kw + "' without a matching '.if'");
        }
        return levels.peek();
    }

    /** At the end of a file: every `.if` must have been closed. */
    void endOfFile(List<String> errors) {
        for (Level l : levels) {
            errors.add("[ALERT] " + l.where + ": non-terminated '.if' block (no '.endif' before the end of the file)");
        }
        levels.clear();
    }

    private boolean evaluate(String text, SourceLocation where) throws ConfigException {
        Expression e = new Expression(text, where);
        if (text.isBlank()) {
            return false;
        }
        boolean result = e.or();
        e.skipBlanks();
        if (!e.atEnd()) {
            throw e.error("unexpected '" + text.substring(e.pos) + "'");
        }
        return result;
    }

    /** A recursive-descent reading of one condition. */
    private final class Expression {
        final String text;
        final SourceLocation where;
        int pos;

        Expression(String text, SourceLocation where) {
            this.text = text;
            this.where = where;
        }

        boolean or() throws ConfigException {
            boolean value = and();
            while (consume("||")) {
                value |= and();
            }
            return value;
        }

        boolean and() throws ConfigException {
            boolean value = unary();
            while (consume("&&")) {
                value &= unary();
            }
            return value;
        }

        boolean unary() throws ConfigException {
            skipBlanks();
            if (consume("!")) {
                return !unary();
            }
            if (consume("(")) {
                boolean value = or();
                if (!consume(")")) {
                    throw error("missing ')'");
                }
                return value;
            }
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            String word = text.substring(start, pos);
            if (word.isEmpty()) {
                throw error("expected a predicate, an integer, '!' or '('");
            }
            if (word.matches("\\d+")) {
                return !word.matches("0+");
            }
            if (!consume("(")) {
                throw error("'" + word + "' needs its arguments in parentheses");
            }
            int close = text.indexOf(')', pos);
            if (close < 0) {
                throw error("missing ')' after the arguments of '" + word + "'");
            }
            List<String> args = List.of(text.substring(pos, close).split(",", -1));
            pos = close + 1;
            return predicate(word, args);
        }

        boolean predicate(String name, List<String> args) throws ConfigException {
            return switch (name) {
                case "defined" -> environment.containsKey(arg(name, args, 0, 1));
                case "feature" -> FEATURES.contains(arg(name, args, 0, 1));
                case "streq" -> arg(name, args, 0, 2).equals(arg(name, args, 1, 2));
                case "strneq" -> !arg(name, args, 0, 2).equals(arg(name, args, 1, 2));
                case "version_atleast" -> compareVersions(HAPROXY_VERSION, arg(name, args, 0, 1)) >= 0;
                case "version_before" -> compareVersions(HAPROXY_VERSION, arg(name, args, 0, 1)) < 0;
                default -> throw error("unknown predicate '" + name + "'" + Suggestions.hint(name, List.of("defined",
                        "feature", "streq", "strneq", "version_atleast", "version_before")));
            };
        }

        String arg(String name, List<String> args, int i, int count) throws ConfigException {
            if (args.size() != count) {
                throw error("'" + name + "' takes " + count + (count == 1 ? " argument" : " arguments"));
            }
            return args.get(i).strip();
        }

        boolean consume(String token) {
            skipBlanks();
            if (text.startsWith(token, pos)) {
                pos += token.length();
                return true;
            }
            return false;
        }

        void skipBlanks() {
            while (pos < text.length() && text.charAt(pos) == ' ') {
                pos++;
            }
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        ConfigException error(String message) {
            return new ConfigException(where, "in condition '" + text + "': " + message);
        }
    }

    /**
     * HAProxy's version order: numbers compare as numbers, missing ones are zero, and a "-dev"
     * or "-rc" release comes before its final one.
     */
    static int compareVersions(String a, String b) {
        String[] x = a.split("-", 2);
        String[] y = b.split("-", 2);
        String[] xs = x[0].split("\\.");
        String[] ys = y[0].split("\\.");
        for (int i = 0; i < Math.max(xs.length, ys.length); i++) {
            int c = Integer.compare(number(xs, i), number(ys, i));
            if (c != 0) {
                return c;
            }
        }
        // 2.6 is newer than 2.6-dev19.
        return Boolean.compare(x.length == 1, y.length == 1);
    }

    private static int number(String[] parts, int i) {
        if (i >= parts.length) {
            return 0;
        }
        String digits = parts[i].replaceAll("\\D.*", "");
        return digits.isEmpty() ? 0 : Integer.parseInt(digits);
    }
}
