package io.rtmprouter.rtmpt;

/**
 * The first byte of every send/idle/close reply: how long the client may wait before polling
 * again. It starts at 1 and doubles after every {@link #QUIET_REPLIES} replies in a row that
 * carried no data, up to {@link #MAX}; data brings it back to 1. Red5 also backs off while the
 * server is quiet, with its own steps (1, 3, 5, 9, 17, 33). ffmpeg and librtmp ignore the byte
 * (they poll at their own pace); Flash Player honours it.
 */
public final class PollingInterval {
    public static final int MIN = 1;
    public static final int MAX = 32;
    static final int QUIET_REPLIES = 10;

    private int interval = MIN;
    private int quietReplies;

    /** The byte for a reply that carries {@code dataBytes} bytes of the server's stream. */
    public int next(int dataBytes) {
        if (dataBytes > 0) {
            interval = MIN;
            quietReplies = 0;
            return interval;
        }
        // The reply that completes a run of quiet ones still carries the interval in force; the
        // doubled one applies from the next reply (as in Red5, where the 11th empty poll backs off first).
        int current = interval;
        if (++quietReplies >= QUIET_REPLIES) {
            quietReplies = 0;
            interval = Math.min(MAX, interval * 2);
        }
        return current;
    }
}
