package io.rtmprouter.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * A runtime API line as HAProxy's CLI reads it: commands separated by `;`, words by blanks; a
 * backslash takes the next character as it is (`\;`, `\ `).
 */
final class CommandLine {
    private CommandLine() {
    }

    static List<List<String>> split(String line) {
        List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (c == ';') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                commands.add(words);
                words = new ArrayList<>();
            } else if (c == ' ' || c == '\t') {
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
        if (inWord) {
            words.add(word.toString());
        }
        commands.add(words);
        return commands;
    }
}
