package io.rtmprouter.rtmp;

import org.junit.jupiter.api.Test;

import static io.rtmprouter.testing.AdobeDigest.*;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every digest and signature is checked against an HMAC computed here, from the published
 * constants, so a mistake shared by the production code and its own helpers cannot hide.
 */
class HandshakeTest {
    // --- server side ---

    @Test
    void simpleC1IsAnsweredWithZeroVersionAndAnEcho() {
        byte[] c1 = packet(new Random(1), 0x01020304, new byte[4]);
        byte[] answer = ServerHandshake.answer(c1, new Random(2), 0x0A0B0C0D);

        assertEquals(1 + 2 * SIZE, answer.length);
        assertEquals(3, answer[0]);
        byte[] s1 = s1(answer);
        assertArrayEquals(new byte[] {0x0A, 0x0B, 0x0C, 0x0D}, Arrays.copyOfRange(s1, 0, 4), "S1 time");
        assertArrayEquals(new byte[4], Arrays.copyOfRange(s1, 4, 8), "zero version: no digest to check");
        assertArrayEquals(c1, s2(answer));
        assertEquals(HandshakeForm.SIMPLE, ServerHandshake.formOf(c1));
    }

    @Test
    void scheme0DigestC1GetsAScheme0DigestS1AndASignedS2() {
        byte[] c1 = digestC1(new Random(3), SCHEME_0);
        assertEquals(HandshakeForm.DIGEST_SCHEME_0, ServerHandshake.formOf(c1));

        byte[] answer = ServerHandshake.answer(c1, new Random(4), 77);
        assertEquals(3, answer[0]);
        byte[] s1 = s1(answer);
        assertArrayEquals(new byte[] {0, 0, 0, 77}, Arrays.copyOfRange(s1, 0, 4));
        assertArrayEquals(new byte[] {0x0D, 0x0E, 0x0A, 0x0D}, Arrays.copyOfRange(s1, 4, 8));
        assertTrue(digestValid(s1, SCHEME_0, SERVER_KEY_TEXT), "S1 digest where scheme 0 puts it");
        assertFalse(digestValid(s1, SCHEME_1, SERVER_KEY_TEXT));
        assertSigned(s2(answer), digestAt(c1, SCHEME_0), SERVER_KEY);
    }

    @Test
    void scheme1DigestC1GetsAScheme1DigestS1AndASignedS2() {
        byte[] c1 = digestC1(new Random(5), SCHEME_1);
        assertEquals(HandshakeForm.DIGEST_SCHEME_1, ServerHandshake.formOf(c1));

        byte[] answer = ServerHandshake.answer(c1, new Random(6), 0);
        byte[] s1 = s1(answer);
        assertArrayEquals(new byte[] {0x0D, 0x0E, 0x0A, 0x0D}, Arrays.copyOfRange(s1, 4, 8));
        assertTrue(digestValid(s1, SCHEME_1, SERVER_KEY_TEXT), "S1 digest where scheme 1 puts it");
        assertFalse(digestValid(s1, SCHEME_0, SERVER_KEY_TEXT));
        assertSigned(s2(answer), digestAt(c1, SCHEME_1), SERVER_KEY);
    }

    @Test
    void aRealFfmpegC1IsRecognisedAsScheme0() throws IOException {
        byte[] c0c1 = ffmpegC0C1();
        assertEquals(1 + SIZE, c0c1.length);
        assertEquals(3, c0c1[0]);
        byte[] c1 = Arrays.copyOfRange(c0c1, 1, c0c1.length);
        assertArrayEquals(new byte[] {9, 0, 124, 2}, Arrays.copyOfRange(c1, 4, 8), "ffmpeg's Flash Player version");
        assertTrue(digestValid(c1, SCHEME_0, PLAYER_KEY_TEXT), "the capture itself carries a scheme-0 digest");

        assertEquals(HandshakeForm.DIGEST_SCHEME_0, ServerHandshake.formOf(c1));
        byte[] answer = ServerHandshake.answer(c1, new Random(7), 0);
        assertTrue(digestValid(s1(answer), SCHEME_0, SERVER_KEY_TEXT));
        assertSigned(s2(answer), digestAt(c1, SCHEME_0), SERVER_KEY);
    }

    @Test
    void aC1WithAWrongDigestGetsTheSimpleAnswer() {
        byte[] c1 = digestC1(new Random(8), SCHEME_0);
        c1[digestOffset(c1, SCHEME_0) + 5] ^= 0x40;
        assertEquals(HandshakeForm.SIMPLE, ServerHandshake.formOf(c1));

        byte[] answer = ServerHandshake.answer(c1, new Random(9), 0);
        assertArrayEquals(new byte[4], Arrays.copyOfRange(s1(answer), 4, 8));
        assertArrayEquals(c1, s2(answer));
    }

    @Test
    void aDigestMadeWithTheServerKeyIsNotAClientDigest() {
        byte[] c1 = packet(new Random(10), 0, new byte[] {9, 0, 124, 2});
        imprint(c1, SCHEME_0, SERVER_KEY_TEXT);
        assertEquals(HandshakeForm.SIMPLE, ServerHandshake.formOf(c1));
    }

    @Test
    void anAllZeroC1IsSimple() {
        byte[] c1 = new byte[SIZE];
        assertEquals(HandshakeForm.SIMPLE, ServerHandshake.formOf(c1));
        byte[] answer = ServerHandshake.answer(c1, new Random(11), 5);
        assertArrayEquals(new byte[SIZE], s2(answer));
        assertArrayEquals(new byte[4], Arrays.copyOfRange(s1(answer), 4, 8));
    }

    @Test
    void packetsOfTheWrongSizeAreAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> ServerHandshake.formOf(new byte[SIZE + 1]));
        assertThrows(IllegalArgumentException.class, () -> ServerHandshake.answer(new byte[SIZE - 1], new Random(), 0));
        ClientHandshake client = new ClientHandshake(new Random(), 0);
        assertThrows(IllegalArgumentException.class, () -> client.c2(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> client.serverSignatureValid(new byte[SIZE + 1]));
    }

    // --- client side ---

    @Test
    void c0c1IsAScheme0DigestC1LikeFfmpegs() {
        ClientHandshake client = new ClientHandshake(new Random(12), 0x11223344);
        byte[] c0c1 = client.c0c1();

        assertEquals(1 + SIZE, c0c1.length);
        assertEquals(3, c0c1[0]);
        byte[] c1 = Arrays.copyOfRange(c0c1, 1, c0c1.length);
        assertArrayEquals(new byte[] {0x11, 0x22, 0x33, 0x44}, Arrays.copyOfRange(c1, 0, 4));
        assertArrayEquals(new byte[] {9, 0, 124, 2}, Arrays.copyOfRange(c1, 4, 8));
        assertTrue(digestValid(c1, SCHEME_0, PLAYER_KEY_TEXT));
        assertArrayEquals(c0c1, client.c0c1(), "stable: C2 and the S2 check depend on it");
    }

    @Test
    void c2ForADigestS1IsSignedOverItsDigestInEitherScheme() {
        for (int scheme : new int[] {SCHEME_0, SCHEME_1}) {
            byte[] s1 = packet(new Random(13 + scheme), 0, new byte[] {0x0D, 0x0E, 0x0A, 0x0D});
            imprint(s1, scheme, SERVER_KEY_TEXT);

            byte[] c2 = new ClientHandshake(new Random(14), 0).c2(s1);
            assertEquals(SIZE, c2.length);
            assertSigned(c2, digestAt(s1, scheme), PLAYER_KEY);
        }
    }

    @Test
    void c2ForASimpleS1EchoesIt() {
        byte[] s1 = packet(new Random(15), 1000, new byte[4]);
        assertArrayEquals(s1, new ClientHandshake(new Random(16), 0).c2(s1));

        byte[] clientKeyedS1 = packet(new Random(17), 0, new byte[] {1, 2, 3, 4});
        imprint(clientKeyedS1, SCHEME_0, PLAYER_KEY_TEXT);
        assertArrayEquals(clientKeyedS1, new ClientHandshake(new Random(18), 0).c2(clientKeyedS1),
                "a digest under the player key does not make a server digest");
    }

    @Test
    void serverSignatureIsCheckedAgainstOurC1Digest() {
        ClientHandshake client = new ClientHandshake(new Random(19), 0);
        byte[] c1 = Arrays.copyOfRange(client.c0c1(), 1, 1 + SIZE);

        byte[] s2 = new byte[SIZE];
        new Random(20).nextBytes(s2);
        byte[] signature = hmac(hmac(SERVER_KEY, digestAt(c1, SCHEME_0)), Arrays.copyOf(s2, SIZE - 32));
        System.arraycopy(signature, 0, s2, SIZE - 32, 32);
        assertTrue(client.serverSignatureValid(s2));

        s2[100] ^= 1;
        assertFalse(client.serverSignatureValid(s2));
        assertFalse(client.serverSignatureValid(c1), "a simple server's S2 is an echo of C1");
    }

    @Test
    void ourClientAndOurServerAgree() {
        ClientHandshake client = new ClientHandshake(new Random(21), 0);
        byte[] c0c1 = client.c0c1();
        byte[] answer = ServerHandshake.answer(Arrays.copyOfRange(c0c1, 1, c0c1.length), new Random(22), 0);

        assertTrue(client.serverSignatureValid(s2(answer)));
        byte[] s1 = s1(answer);
        assertSigned(client.c2(s1), digestAt(s1, SCHEME_0), PLAYER_KEY);
    }
}
