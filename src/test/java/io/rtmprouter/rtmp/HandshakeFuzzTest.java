package io.rtmprouter.rtmp;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Both handshakes on any packet: a C1 from a client is answered in its form, an S1/S2 from a
 * server gets a C2 and a verdict, never an exception. Seeds: ffmpeg's C1 and a simple one.
 * Any other exception is a finding (docs/operations.md, Fuzzing).
 */
class HandshakeFuzzTest {
    /** Per run of scripts/test; scripts/fuzz runs it in rounds for longer. */
    static final String FUZZ_TIME = "10s";

    /** C1 from a client (either form), and S1/S2 from a server: any 1,536 bytes are answered or judged. */
    @FuzzTest(maxDuration = FUZZ_TIME)
    void bothHandshakesTakeAnyPacket(byte[] data) {
        byte[] packet = Arrays.copyOf(data, Handshake.PACKET_SIZE);
        HandshakeForm form = ServerHandshake.formOf(packet);
        byte[] answer = ServerHandshake.answer(packet, new Random(1), 0);
        assertEquals(1 + 2 * Handshake.PACKET_SIZE, answer.length, "S0+S1+S2 for " + form);
        ClientHandshake client = new ClientHandshake(new Random(2), 0);
        assertEquals(Handshake.PACKET_SIZE, client.c2(packet).length, "C2 for any S1");
        client.serverSignatureValid(packet);
    }
}
