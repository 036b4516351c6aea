package io.rtmprouter.testing;

import java.util.Arrays;
import java.util.Random;

import static io.rtmprouter.testing.RtmpChunks.concat;

/** Handshake packets in the simple form (zero version field), as librtmp and OBS send them. */
public final class SimpleHandshake {
    public static final int SIZE = 1536;

    private SimpleHandshake() {
    }

    /** A C1 (or S1) of random bytes, repeatable by seed, with the zero version that means "simple". */
    public static byte[] c1(int seed) {
        byte[] c1 = new byte[SIZE];
        new Random(seed).nextBytes(c1);
        Arrays.fill(c1, 4, 8, (byte) 0);
        return c1;
    }

    /** Answers the router's C0+C1 as nginx-rtmp answers a client whose digest it does not check: S0, S1, S2 = C1. */
    public static byte[] serverAnswer(byte[] c0c1) {
        return concat(new byte[] {3}, c1(99), Arrays.copyOfRange(c0c1, 1, 1 + SIZE));
    }
}
