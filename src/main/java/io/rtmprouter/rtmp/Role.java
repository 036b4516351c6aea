package io.rtmprouter.rtmp;

import java.util.Locale;

/** What a client came to do, as far as the router can tell. */
public enum Role {
    PUBLISHER,
    PLAYER,
    UNKNOWN;

    /** The lower-case word used in log lines. */
    public String logName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
