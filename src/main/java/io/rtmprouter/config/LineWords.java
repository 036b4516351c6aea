package io.rtmprouter.config;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The words of one configuration line, remembering how far the keyword's reader looked at them.
 * A word no reader looked at is one the keyword does not take: HAProxy refuses it ("cannot handle
 * unexpected argument"), and so does the parser, for every keyword at once, instead of each
 * reader counting its own words. Readers that take a list (ACL patterns, server parameters,
 * conditions) read to the end and so take everything.
 */
final class LineWords extends AbstractList<String> implements RandomAccess {
    private final List<String> words;
    /** Words 0 .. read-1 have been looked at; the keyword itself always is. */
    private int read = 1;

    LineWords(List<String> words) {
        this.words = words;
    }

    @Override
    public String get(int index) {
        String w = words.get(index);
        read = Math.max(read, index + 1);
        return w;
    }

    @Override
    public int size() {
        return words.size();
    }

    /** Word `index`, or null past the end, without taking it: for a reader that only looks ahead. */
    String peek(int index) {
        return index < words.size() ? words.get(index) : null;
    }

    /** For keywords whose words are not checked here (ignored ones, skipped sections). */
    void readAll() {
        read = words.size();
    }

    /** Refuses the first word the keyword's reader did not take. */
    void refuseUnread(SourceLocation where) throws ConfigException {
        if (read < words.size()) {
            throw new ConfigException(where, "'" + String.join(" ", words.subList(0, read))
                    + "' cannot handle unexpected argument '" + words.get(read) + "'");
        }
    }
}
