package io.rtmprouter.rtmp;

/**
 * How a peer shaped its C1/S1. Flash Player and ffmpeg hide an HMAC digest in it and, when they
 * play, check that the answer carries one too; librtmp and OBS send none and accept an echo.
 */
public enum HandshakeForm {
    /** No valid digest: the answer is an echo, as for the original RTMP specification. */
    SIMPLE,
    /** Digest located by bytes 8..11, the layout ffmpeg and Flash Player use for plain RTMP. */
    DIGEST_SCHEME_0,
    /** Digest located by bytes 772..775, the layout used with RTMPE and by some servers. */
    DIGEST_SCHEME_1
}
