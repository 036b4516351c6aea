package io.rtmprouter.rtmp;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The arithmetic of the digest ("complex") handshake. Adobe never published it; the keys and
 * offsets are the ones every interoperable implementation (ffmpeg, librtmp, nginx-rtmp) agreed on.
 * A peer proves it knows them by hiding an HMAC of its own C1/S1 at an offset derived from that
 * same packet, and by signing the other side's digest in its C2/S2.
 */
final class HandshakeDigest {
    static final int LENGTH = 32;

    private static final byte[] SHARED_TAIL = {
            (byte) 0xF0, (byte) 0xEE, (byte) 0xC2, (byte) 0x4A, (byte) 0x80, (byte) 0x68, (byte) 0xBE, (byte) 0xE8,
            (byte) 0x2E, (byte) 0x00, (byte) 0xD0, (byte) 0xD1, (byte) 0x02, (byte) 0x9E, (byte) 0x7E, (byte) 0x57,
            (byte) 0x6E, (byte) 0xEC, (byte) 0x5D, (byte) 0x2D, (byte) 0x29, (byte) 0x80, (byte) 0x6F, (byte) 0xAB,
            (byte) 0x93, (byte) 0xB8, (byte) 0xE6, (byte) 0x36, (byte) 0xCF, (byte) 0xEB, (byte) 0x31, (byte) 0xAE};

    /** Only the text prefix keys the C1 digest; the whole key keys the signature over S1's digest in C2. */
    static final byte[] PLAYER_KEY = key("Genuine Adobe Flash Player 001");
    static final int PLAYER_KEY_TEXT_LENGTH = 30;
    /** Only the text prefix keys the S1 digest; the whole key keys the signature over C1's digest in S2. */
    static final byte[] SERVER_KEY = key("Genuine Adobe Flash Media Server 001");
    static final int SERVER_KEY_TEXT_LENGTH = 36;

    private static final int SIGNED_LENGTH = Handshake.PACKET_SIZE - LENGTH;

    private HandshakeDigest() {
    }

    private static byte[] key(String text) {
        byte[] prefix = text.getBytes(StandardCharsets.US_ASCII);
        byte[] key = Arrays.copyOf(prefix, prefix.length + SHARED_TAIL.length);
        System.arraycopy(SHARED_TAIL, 0, key, prefix.length, SHARED_TAIL.length);
        return key;
    }

    /** Where the digest starts: four packet bytes pick one of 728 places after them. */
    static int offset(byte[] packet, HandshakeForm scheme) {
        int base = switch (scheme) {
            case DIGEST_SCHEME_0 -> 8;
            case DIGEST_SCHEME_1 -> 772;
            case SIMPLE -> throw new IllegalArgumentException("a simple handshake has no digest");
        };
        int sum = 0;
        for (int i = base; i < base + 4; i++) {
            sum += packet[i] & 0xff;
        }
        return base + 4 + sum % 728;
    }

    /** The scheme whose digest checks out under the first {@code keyLength} bytes of {@code key}, or SIMPLE. */
    static HandshakeForm find(byte[] packet, byte[] key, int keyLength) {
        for (HandshakeForm scheme : new HandshakeForm[] {HandshakeForm.DIGEST_SCHEME_0, HandshakeForm.DIGEST_SCHEME_1}) {
            int at = offset(packet, scheme);
            byte[] expected = compute(packet, at, key, keyLength);
            if (MessageDigest.isEqual(expected, Arrays.copyOfRange(packet, at, at + LENGTH))) {
                return scheme;
            }
        }
        return HandshakeForm.SIMPLE;
    }

    static byte[] digestOf(byte[] packet, HandshakeForm scheme) {
        int at = offset(packet, scheme);
        return Arrays.copyOfRange(packet, at, at + LENGTH);
    }

    /** Writes the digest into the packet; the offset depends only on bytes outside the digest, so it is stable. */
    static void imprint(byte[] packet, HandshakeForm scheme, byte[] key, int keyLength) {
        int at = offset(packet, scheme);
        System.arraycopy(compute(packet, at, key, keyLength), 0, packet, at, LENGTH);
    }

    /** Fills the last 32 bytes of a C2/S2 with proof that we saw the peer's digest. */
    static void sign(byte[] packet, byte[] peerDigest, byte[] fullKey) {
        System.arraycopy(signature(packet, peerDigest, fullKey), 0, packet, SIGNED_LENGTH, LENGTH);
    }

    static boolean signed(byte[] packet, byte[] peerDigest, byte[] fullKey) {
        return MessageDigest.isEqual(signature(packet, peerDigest, fullKey),
                Arrays.copyOfRange(packet, SIGNED_LENGTH, Handshake.PACKET_SIZE));
    }

    private static byte[] signature(byte[] packet, byte[] peerDigest, byte[] fullKey) {
        Mac keyMac = hmac(fullKey, fullKey.length);
        byte[] signingKey = keyMac.doFinal(peerDigest);
        Mac mac = hmac(signingKey, signingKey.length);
        mac.update(packet, 0, SIGNED_LENGTH);
        return mac.doFinal();
    }

    /** HMAC over the packet with the 32-byte digest slot left out. */
    private static byte[] compute(byte[] packet, int at, byte[] key, int keyLength) {
        Mac mac = hmac(key, keyLength);
        mac.update(packet, 0, at);
        mac.update(packet, at + LENGTH, packet.length - at - LENGTH);
        return mac.doFinal();
    }

    private static Mac hmac(byte[] key, int keyLength) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, 0, keyLength, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime must provide HmacSHA256", e);
        }
    }
}
