package io.rtmprouter.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * The keywords HAProxy 2.6 knows, by where they are written, so that a keyword rtmp-router does
 * not implement is refused as what it is ("not supported") rather than as a typo ("unknown").
 * The list is docs/configuration.md's keyword table; a test keeps the two in step.
 */
final class HaproxyKeywords {
    /** Where a keyword is written. */
    enum Place {
        GLOBAL("global"), PROXY("proxy"), BIND("bind"), SERVER("server");

        private final String word;

        Place(String word) {
            this.word = word;
        }
    }

    private static final Set<String> KNOWN = load();

    private HaproxyKeywords() {
    }

    /** Whether HAProxy 2.6 has `keyword` (one word, or two such as "option httpchk") at `place`. */
    static boolean knows(Place place, String keyword) {
        return KNOWN.contains(place.word + " " + keyword);
    }

    /**
     * The keyword HAProxy knows that these words start with: the two-word form ("stick on",
     * "option httpchk") when there is one, else the first word; null when HAProxy has neither.
     */
    static String known(Place place, String first, String second) {
        if (second != null && knows(place, first + " " + second)) {
            return first + " " + second;
        }
        return knows(place, first) ? first : null;
    }

    private static Set<String> load() {
        Set<String> known = new HashSet<>();
        try (InputStream in = HaproxyKeywords.class.getResourceAsStream("haproxy-2.6-keywords.txt")) {
            if (in == null) {
                throw new IllegalStateException("haproxy-2.6-keywords.txt is missing from the jar");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    known.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(known);
    }
}
