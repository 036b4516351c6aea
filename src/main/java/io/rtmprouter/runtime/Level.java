package io.rtmprouter.runtime;

import java.util.Locale;

/** A runtime API socket's access level, as HAProxy's `level`: each includes the ones below it. */
enum Level {
    USER, OPERATOR, ADMIN;

    static Level parse(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT));
    }

    boolean allows(Level needed) {
        return compareTo(needed) >= 0;
    }

    String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
