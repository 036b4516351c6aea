package io.rtmprouter.proxy;

/**
 * HAProxy's test for `option splice-auto`: a direction is a "fast streamer", worth splicing, once
 * three read passes in a row have each filled a buffer (16 KiB less HAProxy's 1 KiB rewrite
 * reserve). A pass is everything one readiness event brought. Interactive traffic, RTMP commands
 * and a live stream's frames arrive in smaller passes and stay in the pipeline, where a read and a
 * write cost fewer system calls than two splices and a pipe.
 */
final class StreamerDetector {
    static final int FULL_BUFFER = 16384 - 1024;
    static final int PASSES = 3;
    private int largePasses;

    /** Records one read pass; true once the direction streams fast. */
    boolean onPass(long bytes) {
        largePasses = bytes >= FULL_BUFFER ? largePasses + 1 : 0;
        return largePasses >= PASSES;
    }
}
