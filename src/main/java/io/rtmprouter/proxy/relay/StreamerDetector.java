package io.rtmprouter.proxy.relay;

/**
 * HAProxy's test for `option splice-auto`: a direction is a "fast streamer", worth splicing, once
 * three read passes in a row have each filled a buffer (16 KiB less HAProxy's 1 KiB rewrite
 * reserve); it stops being one after two passes in a row of at most half a buffer. A pass is
 * everything one readiness event brought. RTMP commands, an idle session and a live stream's
 * audio frames come in small passes, and are copied: a read and a write cost fewer system calls
 * than two splices (the second one finding nothing) and a pipe.
 */
final class StreamerDetector {
    static final int BUFFER = 16384;
    static final int FULL_BUFFER = BUFFER - 1024;
    static final int HALF_BUFFER = BUFFER / 2;
    private int largePasses;
    private int smallPasses;
    private boolean fast;

    /** Records one read pass; returns whether the direction streams fast now. */
    boolean onPass(long bytes) {
        if (fast) {
            if (bytes <= HALF_BUFFER) {
                largePasses = 0;
                fast = ++smallPasses < 2;
            } else {
                smallPasses = 0;
                largePasses = 0;
            }
        } else if (bytes >= FULL_BUFFER) {
            smallPasses = 0;
            fast = ++largePasses >= 3;
        } else {
            smallPasses = 0;
            largePasses = 0;
        }
        return fast;
    }

    boolean fast() {
        return fast;
    }
}
