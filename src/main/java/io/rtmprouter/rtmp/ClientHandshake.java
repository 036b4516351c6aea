package io.rtmprouter.rtmp;

import java.util.Random;

/**
 * The router's side of the handshake with an origin, where it stands in for the client.
 *
 * <p>It introduces itself the way ffmpeg does (a scheme-0 digest and Flash Player version
 * 9.0.124.2), so that an origin which treats digest clients differently sees the same thing it
 * would see from a player connecting directly. One instance serves one connection: C2 and the S2
 * check both depend on the C1 it sent.
 */
public final class ClientHandshake {
    private static final byte[] FLASH_PLAYER_VERSION = {9, 0, 124, 2};

    private final Random random;
    private final byte[] c1;
    private final byte[] c1Digest;

    public ClientHandshake(Random random, int timeMillis) {
        this.random = random;
        c1 = new byte[Handshake.PACKET_SIZE];
        random.nextBytes(c1);
        Handshake.putTime(c1, timeMillis);
        System.arraycopy(FLASH_PLAYER_VERSION, 0, c1, 4, 4);
        HandshakeDigest.imprint(c1, HandshakeForm.DIGEST_SCHEME_0,
                HandshakeDigest.PLAYER_KEY, HandshakeDigest.PLAYER_KEY_TEXT_LENGTH);
        c1Digest = HandshakeDigest.digestOf(c1, HandshakeForm.DIGEST_SCHEME_0);
    }

    /** C0 and C1, 1 + 1536 bytes; the same bytes on every call. */
    public byte[] c0c1() {
        byte[] c0c1 = new byte[1 + Handshake.PACKET_SIZE];
        c0c1[0] = Handshake.VERSION;
        System.arraycopy(c1, 0, c0c1, 1, Handshake.PACKET_SIZE);
        return c0c1;
    }

    /**
     * C2 for the origin's S1: signed over S1's digest when S1 has a valid one (either scheme),
     * since a digest server may check it; an echo otherwise, as the simple handshake wants.
     */
    public byte[] c2(byte[] s1) {
        Handshake.requirePacket(s1, "S1");
        HandshakeForm form = HandshakeDigest.find(s1, HandshakeDigest.SERVER_KEY, HandshakeDigest.SERVER_KEY_TEXT_LENGTH);
        if (form == HandshakeForm.SIMPLE) {
            return s1.clone();
        }
        byte[] c2 = new byte[Handshake.PACKET_SIZE];
        random.nextBytes(c2);
        HandshakeDigest.sign(c2, HandshakeDigest.digestOf(s1, form), HandshakeDigest.PLAYER_KEY);
        return c2;
    }

    /**
     * Whether S2 proves the origin knows the server key and saw our C1. Simple-handshake servers
     * (an echo of C1) fail this and are still fine to talk to, so it only colours the log.
     */
    public boolean serverSignatureValid(byte[] s2) {
        Handshake.requirePacket(s2, "S2");
        return HandshakeDigest.signed(s2, c1Digest, HandshakeDigest.SERVER_KEY);
    }
}
