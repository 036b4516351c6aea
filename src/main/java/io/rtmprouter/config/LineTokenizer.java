package io.rtmprouter.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Splits one configuration line into words the way HAProxy does: blanks separate words,
 * '#' starts a comment outside quotes, double quotes keep blanks, honour backslash escapes and
 * expand environment variables, single quotes keep everything literally, and a backslash
 * escapes the next character.
 * <p>
 * Inside double quotes `$NAME` and `${NAME}` take the variable's value (empty when it is not
 * set), `${NAME-default}` the default when it is not set, and `${NAME[*]}` splits the value at
 * blanks into several words. A `$` that starts no name is an error, as in HAProxy 2.6.
 */
final class LineTokenizer {
    /** No variable is set. */
    static final Function<String, Optional<String>> NO_VARIABLES = name -> Optional.empty();

    private LineTokenizer() {
    }

    static List<String> words(String line, SourceLocation where) throws ConfigException {
        return words(line, where, NO_VARIABLES);
    }

    static List<String> words(String line, SourceLocation where, Function<String, Optional<String>> variables)
            throws ConfigException {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
                continue;
            }
            if (c == '\\') {
                if (i + 1 >= line.length()) {
                    throw new ConfigException(where, "line ends with a lone backslash");
                }
                word.append(unescape(line.charAt(++i)));
                inWord = true;
                continue;
            }
            if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '$') {
                    i = expand(line, i, where, variables, words, word);
                } else {
                    word.append(c);
                }
                continue;
            }
            if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (c == '#') {
                break;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new ConfigException(where, "unmatched quote " + quote);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /**
     * Expands the variable whose `$` is at {@code dollar} into {@code word} (a `[*]` value's
     * leading words go to {@code words}); returns the index of its last character.
     */
    private static int expand(String line, int dollar, SourceLocation where,
                              Function<String, Optional<String>> variables, List<String> words, StringBuilder word)
            throws ConfigException {
        int start = dollar + 1;
        boolean braced = start < line.length() && line.charAt(start) == '{';
        int nameStart = braced ? start + 1 : start;
        int end = nameStart;
        // Pseudo-variables (.LINE, .FILE, .SECTION) are the only names with a dot, and only in braces.
        if (braced && end < line.length() && line.charAt(end) == '.') {
            end++;
        }
        if (end >= line.length() || !(Character.isLetter(line.charAt(end)) || line.charAt(end) == '_')) {
            throw new ConfigException(where, "forbidden first char in environment variable name at position "
                    + (end + 1));
        }
        while (end < line.length() && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')) {
            end++;
        }
        String name = line.substring(nameStart, end);
        Optional<String> value = variables.apply(name);
        if (!braced) {
            value.ifPresent(word::append);
            return end - 1;
        }
        boolean split = false;
        String fallback = null;
        if (line.startsWith("[*]", end)) {
            split = true;
            end += 3;
        } else if (end < line.length() && line.charAt(end) == '-') {
            int close = line.indexOf('}', end);
            if (close < 0) {
                throw new ConfigException(where, "unmatched brace in environment variable name at position "
                        + (dollar + 2));
            }
            fallback = line.substring(end + 1, close);
            end = close;
        }
        if (end >= line.length() || line.charAt(end) != '}') {
            throw new ConfigException(where, "unmatched brace in environment variable name at position "
                    + (dollar + 2));
        }
        String text = value.orElse(fallback == null ? "" : fallback);
        if (split) {
            String[] parts = text.trim().split("[ \t]+");
            for (int p = 0; p < parts.length; p++) {
                if (p > 0) {
                    words.add(word.toString());
                    word.setLength(0);
                }
                word.append(parts[p]);
            }
        } else {
            word.append(text);
        }
        return end;
    }

    private static char unescape(char c) {
        return switch (c) {
            case 't' -> '\t';
            case 'n' -> '\n';
            case 'r' -> '\r';
            default -> c;
        };
    }
}
