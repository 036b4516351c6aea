package io.rtmprouter.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The handshake digest arithmetic written out independently of the production code, from the
 * published constants, so that a mistake shared by the code and its own helpers cannot hide.
 */
public final class AdobeDigest {
    private AdobeDigest() {
    }

    public static final int SIZE = 1536;
    public static final int SCHEME_0 = 8;
    public static final int SCHEME_1 = 772;
    public static final byte[] TAIL = HexFormat.of().parseHex(
            "F0EEC24A8068BEE82E00D0D1029E7E576EEC5D2D29806FAB93B8E636CFEB31AE");
    public static final byte[] PLAYER_KEY = concat("Genuine Adobe Flash Player 001".getBytes(StandardCharsets.US_ASCII), TAIL);
    public static final byte[] SERVER_KEY = concat("Genuine Adobe Flash Media Server 001".getBytes(StandardCharsets.US_ASCII), TAIL);
    public static final byte[] PLAYER_KEY_TEXT = Arrays.copyOf(PLAYER_KEY, 30);
    public static final byte[] SERVER_KEY_TEXT = Arrays.copyOf(SERVER_KEY, 36);


    /** C0+C1 captured from ffprobe 5.1 against a loopback listener. */
    public static byte[] ffmpegC0C1() {
        return Captures.hex("/handshake/ffmpeg-c0c1.hex");
    }

    public static byte[] packet(Random random, int time, byte[] version) {
        byte[] p = new byte[SIZE];
        random.nextBytes(p);
        p[0] = (byte) (time >>> 24);
        p[1] = (byte) (time >>> 16);
        p[2] = (byte) (time >>> 8);
        p[3] = (byte) time;
        System.arraycopy(version, 0, p, 4, 4);
        return p;
    }

    public static byte[] digestC1(Random random, int scheme) {
        byte[] c1 = packet(random, 0, new byte[] {9, 0, 124, 2});
        imprint(c1, scheme, PLAYER_KEY_TEXT);
        return c1;
    }

    public static int digestOffset(byte[] p, int scheme) {
        int sum = (p[scheme] & 0xff) + (p[scheme + 1] & 0xff) + (p[scheme + 2] & 0xff) + (p[scheme + 3] & 0xff);
        return sum % 728 + scheme + 4;
    }

    public static byte[] digestOver(byte[] p, int scheme, byte[] key) {
        int at = digestOffset(p, scheme);
        return hmac(key, concat(Arrays.copyOfRange(p, 0, at), Arrays.copyOfRange(p, at + 32, SIZE)));
    }

    public static void imprint(byte[] p, int scheme, byte[] key) {
        System.arraycopy(digestOver(p, scheme, key), 0, p, digestOffset(p, scheme), 32);
    }

    public static boolean digestValid(byte[] p, int scheme, byte[] key) {
        return Arrays.equals(digestOver(p, scheme, key), digestAt(p, scheme));
    }

    public static byte[] digestAt(byte[] p, int scheme) {
        int at = digestOffset(p, scheme);
        return Arrays.copyOfRange(p, at, at + 32);
    }

    public static void assertSigned(byte[] packet, byte[] peerDigest, byte[] fullKey) {
        byte[] expected = hmac(hmac(fullKey, peerDigest), Arrays.copyOf(packet, SIZE - 32));
        assertArrayEquals(expected, Arrays.copyOfRange(packet, SIZE - 32, SIZE), "signature over the peer's digest");
    }

    public static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    public static byte[] s1(byte[] answer) {
        return Arrays.copyOfRange(answer, 1, 1 + SIZE);
    }

    public static byte[] s2(byte[] answer) {
        return Arrays.copyOfRange(answer, 1 + SIZE, 1 + 2 * SIZE);
    }
}
