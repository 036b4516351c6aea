package io.rtmprouter.rtmp;

import java.util.Random;

/**
 * The router's side of the handshake with a client, answered before any origin is chosen.
 *
 * <p>The answer has to match what the client sent: ffmpeg, when it plays, checks S1's digest and
 * S2's signature as soon as S1 carries a nonzero version, so a digest client gets a digest answer
 * in the scheme it used itself, and everyone else gets the plain echo that any client accepts.
 */
public final class ServerHandshake {
    /** The version nginx-rtmp announces; only its being nonzero matters, it tells clients to check the digest. */
    private static final byte[] DIGEST_VERSION = {0x0D, 0x0E, 0x0A, 0x0D};

    private ServerHandshake() {
    }

    /**
     * The digest scheme of a C1 whose digest is valid under the player key, else SIMPLE. The
     * version field is not consulted: only a digest that checks out is worth answering in kind.
     */
    public static HandshakeForm formOf(byte[] c1) {
        Handshake.requirePacket(c1, "C1");
        return HandshakeDigest.find(c1, HandshakeDigest.PLAYER_KEY, HandshakeDigest.PLAYER_KEY_TEXT_LENGTH);
    }

    /** S0, S1 and S2 in one array of 1 + 2 * 1536 bytes, to be sent once C1 is in. */
    public static byte[] answer(byte[] c1, Random random, int timeMillis) {
        HandshakeForm form = formOf(c1);
        byte[] s1 = new byte[Handshake.PACKET_SIZE];
        random.nextBytes(s1);
        Handshake.putTime(s1, timeMillis);
        byte[] s2;
        if (form == HandshakeForm.SIMPLE) {
            s1[4] = s1[5] = s1[6] = s1[7] = 0;
            s2 = c1.clone();
        } else {
            System.arraycopy(DIGEST_VERSION, 0, s1, 4, 4);
            HandshakeDigest.imprint(s1, form, HandshakeDigest.SERVER_KEY, HandshakeDigest.SERVER_KEY_TEXT_LENGTH);
            s2 = new byte[Handshake.PACKET_SIZE];
            random.nextBytes(s2);
            HandshakeDigest.sign(s2, HandshakeDigest.digestOf(c1, form), HandshakeDigest.SERVER_KEY);
        }
        byte[] answer = new byte[1 + 2 * Handshake.PACKET_SIZE];
        answer[0] = Handshake.VERSION;
        System.arraycopy(s1, 0, answer, 1, Handshake.PACKET_SIZE);
        System.arraycopy(s2, 0, answer, 1 + Handshake.PACKET_SIZE, Handshake.PACKET_SIZE);
        return answer;
    }
}
