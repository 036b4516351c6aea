package io.rtmprouter.rtmpt;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * RTMPT session ids: 128 random bits, so that nobody can guess another client's id and write
 * into its stream. 32 hex characters fit ffmpeg's 64-byte buffer for the id.
 */
public final class SessionIds {
    private final SecureRandom random = new SecureRandom();

    public String next() {
        byte[] b = new byte[16];
        synchronized (random) {
            random.nextBytes(b);
        }
        return HexFormat.of().formatHex(b);
    }
}
