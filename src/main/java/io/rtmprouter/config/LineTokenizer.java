package io.rtmprouter.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one configuration line into words the way HAProxy does: blanks separate words,
 * '#' starts a comment outside quotes, double quotes keep blanks and honour backslash escapes,
 * single quotes keep everything literally, and a backslash escapes the next character.
 */
final class LineTokenizer {
    private LineTokenizer() {
    }

    static List<String> words(String line, SourceLocation where) throws ConfigException {
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

    private static char unescape(char c) {
        return switch (c) {
            case 't' -> '\t';
            case 'n' -> '\n';
            case 'r' -> '\r';
            default -> c;
        };
    }
}
