package io.rtmprouter.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Chunk streams written out byte for byte, the way ffmpeg, librtmp and OBS put them on the wire. */
class ChunkStreamReaderTest {
    private static final int MAX = 64 * 1024;

    @Test
    void connectSplitOverTwoChunksIsReassembled() throws MalformedRtmpException {
        byte[] payload = payload(140, 1);
        byte[] wire = wire("03 000000 00008C 14 00000000", slice(payload, 0, 128), "C3", slice(payload, 128, 140));

        ChunkStreamReader reader = new ChunkStreamReader(MAX);
        ByteBuf in = Unpooled.buffer();
        try {
            in.writeBytes(wire, 0, 12 + 128);
            assertNull(reader.next(in));
            assertEquals(12 + 128, in.readerIndex(), "the complete first chunk is consumed");
            in.writeBytes(wire, 12 + 128, 6);
            assertNull(reader.next(in));
            assertEquals(12 + 128, in.readerIndex(), "a partial chunk is left where it starts");
            in.writeBytes(wire, 12 + 128 + 6, wire.length - (12 + 128 + 6));
            assertEquals(new RtmpMessage(3, 20, 0, 0, payload), reader.next(in));
            assertEquals(0, in.readableBytes());
            assertNull(reader.next(in));
            assertEquals(1, in.refCnt(), "the reader never releases the caller's buffer");
        } finally {
            in.release();
        }
    }

    @Test
    void setChunkSizeAppliesToTheChunksAfterIt() throws MalformedRtmpException {
        byte[] payload = payload(300, 2);
        List<RtmpMessage> messages = readAll(wire(
                "02 000000 000004 01 00000000 00001000",
                "03 000000 00012C 14 00000000", payload));

        assertEquals(List.of(
                new RtmpMessage(2, 1, 0, 0, hex("00001000")),
                new RtmpMessage(3, 20, 0, 0, payload)), messages);
    }

    @Test
    void extendedTimestampOnFmt0AndOnItsFmt3Continuation() throws MalformedRtmpException {
        byte[] payload = payload(200, 3);
        List<RtmpMessage> messages = readAll(wire(
                "04 FFFFFF 0000C8 09 01000000 FFFFFFF0", slice(payload, 0, 128),
                "C4 FFFFFFF0", slice(payload, 128, 200)));

        assertEquals(List.of(new RtmpMessage(4, 9, 0xFFFFFFF0L, 1, payload)), messages,
                "32-bit timestamp, unsigned; continuation repeats the extended field");
    }

    @Test
    void extendedTimestampIsTheDeltaInFmt1AndIsReusedByAFmt3Message() throws MalformedRtmpException {
        List<RtmpMessage> messages = readAll(wire(
                "04 000010 000001 08 01000000 AA",
                "44 FFFFFF 000001 08 01000000 BB",
                "C4 01000000 CC"));

        assertEquals(List.of(
                new RtmpMessage(4, 8, 0x10, 1, hex("AA")),
                new RtmpMessage(4, 8, 0x01000010L, 1, hex("BB")),
                new RtmpMessage(4, 8, 0x02000010L, 1, hex("CC"))), messages);
    }

    @Test
    void twoAndThreeByteBasicHeaders() throws MalformedRtmpException {
        byte[] big = payload(130, 4);
        List<RtmpMessage> messages = readAll(wire(
                "00 00 000000 000001 14 00000000 40",
                "00 FF 000000 000001 14 00000000 41",
                "01 0001 000000 000001 14 00000000 42",
                "01 FFFF 000000 000082 14 00000000", slice(big, 0, 128), "C1 FFFF", slice(big, 128, 130)));

        assertEquals(List.of(
                new RtmpMessage(64, 20, 0, 0, hex("40")),
                new RtmpMessage(319, 20, 0, 0, hex("41")),
                new RtmpMessage(320, 20, 0, 0, hex("42")),
                new RtmpMessage(65599, 20, 0, 0, big)), messages);
    }

    @Test
    void fmt3StartsTheNextMessageOnTheTwoByteHeaderStream() throws MalformedRtmpException {
        List<RtmpMessage> messages = readAll(wire(
                "00 FF 000005 000001 14 00000000 41",
                "C0 FF 42"));
        assertEquals(List.of(
                new RtmpMessage(319, 20, 5, 0, hex("41")),
                new RtmpMessage(319, 20, 10, 0, hex("42"))), messages,
                "after fmt 0 the delta a fmt-3 message reuses is fmt 0's timestamp");
    }

    @Test
    void fmt1AndFmt2CarryDeltasAndFmt3ReusesTheLast() throws MalformedRtmpException {
        List<RtmpMessage> messages = readAll(wire(
                "03 0003E8 000004 14 01000000 01020304",
                "43 000014 000003 12 050607",
                "83 000005 08090A",
                "C3 0B0C0D"));

        assertEquals(List.of(
                new RtmpMessage(3, 20, 1000, 1, hex("01020304")),
                new RtmpMessage(3, 18, 1020, 1, hex("050607")),
                new RtmpMessage(3, 18, 1025, 1, hex("08090A")),
                new RtmpMessage(3, 18, 1030, 1, hex("0B0C0D"))), messages);
    }

    @Test
    void abortDiscardsThePartialMessageAndIsReturned() throws MalformedRtmpException {
        byte[] abandoned = payload(200, 5);
        List<RtmpMessage> messages = readAll(wire(
                "03 000000 0000C8 14 00000000", slice(abandoned, 0, 128),
                "02 000000 000004 02 00000000 00000003",
                "03 000000 000002 14 00000000 ABCD"));

        assertEquals(List.of(
                new RtmpMessage(2, 2, 0, 0, hex("00000003")),
                new RtmpMessage(3, 20, 0, 0, hex("ABCD"))), messages,
                "after the abort a fresh fmt 0 header on csid 3 is no longer mid-message");
    }

    @Test
    void zeroLengthMessage() throws MalformedRtmpException {
        assertEquals(List.of(new RtmpMessage(3, 20, 0, 0, new byte[0]), new RtmpMessage(3, 20, 0, 0, hex("01"))),
                readAll(wire("03 000000 000000 14 00000000", "03 000000 000001 14 00000000 01")));
    }

    @Test
    void interleavedChunkStreams() throws MalformedRtmpException {
        byte[] a = payload(200, 6);
        byte[] b = payload(150, 7);
        List<RtmpMessage> messages = readAll(wire(
                "03 000000 0000C8 14 00000000", slice(a, 0, 128),
                "04 000000 000096 08 01000000", slice(b, 0, 128),
                "C3", slice(a, 128, 200),
                "C4", slice(b, 128, 150)));
        assertEquals(List.of(new RtmpMessage(3, 20, 0, 0, a), new RtmpMessage(4, 8, 0, 1, b)), messages);
    }

    @Test
    void oneByteAtATimeGivesTheSameMessages() throws MalformedRtmpException {
        byte[] connect = payload(140, 8);
        byte[] large = payload(300, 9);
        byte[] extended = payload(5000, 10);
        byte[] wire = wire(
                "03 000000 00008C 14 00000000", slice(connect, 0, 128), "C3", slice(connect, 128, 140),
                "00 FF 000000 000001 14 00000000 41",
                "01 FFFF 000007 000001 14 00000000 42",
                "43 000014 000003 12 050607",
                "83 000005 08090A",
                "C3 0B0C0D",
                "02 000000 000004 01 00000000 00001000",
                "05 000000 00012C 14 00000000", large,
                "06 FFFFFF 001388 09 01000000 01020304", slice(extended, 0, 4096),
                "C6 01020304", slice(extended, 4096, 5000));
        List<RtmpMessage> whole = readAll(wire);
        assertEquals(9, whole.size());

        ChunkStreamReader reader = new ChunkStreamReader(MAX);
        List<RtmpMessage> dribbled = new ArrayList<>();
        ByteBuf in = Unpooled.buffer();
        try {
            for (byte b : wire) {
                in.writeByte(b);
                for (RtmpMessage m = reader.next(in); m != null; m = reader.next(in)) {
                    dribbled.add(m);
                }
            }
            assertEquals(0, in.readableBytes());
        } finally {
            in.release();
        }
        assertEquals(whole, dribbled);
    }

    // --- malformed ---

    @Test
    void fmt1Or3OnAChunkStreamNeverStartedWithFmt0() {
        assertEquals("chunk stream 5 continues a message it never started (fmt 1)",
                malformed(wire("45 000000 000004 14")));
        assertEquals("chunk stream 5 continues a message it never started (fmt 3)", malformed(wire("C5")));
        assertEquals("chunk stream 64 continues a message it never started (fmt 2)", malformed(wire("80 00 000000")));
    }

    @Test
    void messageLongerThanTheLimitIsRefusedFromItsHeader() {
        assertEquals("message of 1001 bytes on chunk stream 3 exceeds the limit of 1000",
                malformed(new ChunkStreamReader(1000), wire("03 000000 0003E9 14 00000000")));
    }

    @Test
    void setChunkSizeZeroOrWithTheTopBitOrTooShort() {
        assertEquals("Set Chunk Size 0", malformed(wire("02 000000 000004 01 00000000 00000000")));
        assertEquals("Set Chunk Size with the top bit set", malformed(wire("02 000000 000004 01 00000000 80001000")));
        assertEquals("Set Chunk Size of 2 bytes", malformed(wire("02 000000 000002 01 00000000 1000")));
        assertEquals("Abort of 0 bytes", malformed(wire("02 000000 000000 02 00000000")));
    }

    @Test
    void aNewHeaderInsideAnUnfinishedMessage() {
        String started = "03 000000 0000C8 14 00000000";
        byte[] firstChunk = payload(128, 11);
        assertEquals("chunk stream 3 starts a new message (fmt 0) before finishing the last",
                malformed(wire(started, firstChunk, "03 000000 000002 14 00000000 0102")));
        assertEquals("chunk stream 3 starts a new message (fmt 1) before finishing the last",
                malformed(wire(started, firstChunk, "43 000000 000002 14 0102")));
        assertEquals("chunk stream 3 starts a new message (fmt 2) before finishing the last",
                malformed(wire(started, firstChunk, "83 000000", payload(72, 12))));
    }

    @Test
    void atMostSixteenUnfinishedMessages() throws MalformedRtmpException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int csid = 3; csid < 3 + ChunkStreamReader.MAX_PARTIAL_MESSAGES; csid++) {
            wire.writeBytes(wire(String.format("%02X 000000 0000C8 14 00000000", csid), payload(128, csid)));
        }
        assertEquals(List.of(), readAll(wire.toByteArray()), "sixteen are allowed");
        wire.writeBytes(wire("13 000000 0000C8 14 00000000", payload(128, 19)));
        assertEquals("more than 16 chunk streams hold unfinished messages", malformed(wire.toByteArray()));
    }

    @Test
    void atMostSixtyFourChunkStreams() throws MalformedRtmpException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int csid = 64; csid < 64 + ChunkStreamReader.MAX_CHUNK_STREAMS; csid++) {
            wire.writeBytes(wire(String.format("00 %02X 000000 000000 14 00000000", csid - 64)));
        }
        assertEquals(64, readAll(wire.toByteArray()).size());
        wire.writeBytes(wire("00 FF 000000 000000 14 00000000"));
        assertEquals("more than 64 chunk streams", malformed(wire.toByteArray()));
    }

    // --- helpers ---

    private static List<RtmpMessage> readAll(byte[] wire) throws MalformedRtmpException {
        ChunkStreamReader reader = new ChunkStreamReader(MAX);
        List<RtmpMessage> messages = new ArrayList<>();
        ByteBuf in = Unpooled.buffer(wire.length);
        try {
            in.writeBytes(wire);
            for (RtmpMessage m = reader.next(in); m != null; m = reader.next(in)) {
                messages.add(m);
            }
            return messages;
        } finally {
            in.release();
        }
    }

    private static String malformed(byte[] wire) {
        return malformed(new ChunkStreamReader(MAX), wire);
    }

    private static String malformed(ChunkStreamReader reader, byte[] wire) {
        ByteBuf in = Unpooled.buffer(wire.length);
        try {
            in.writeBytes(wire);
            return assertThrows(MalformedRtmpException.class, () -> {
                while (reader.next(in) != null) {
                    // the messages before the bad one are fine
                }
            }).getMessage();
        } finally {
            in.release();
        }
    }

    /** Concatenates hex strings (spaces ignored) and raw byte arrays in order. */
    private static byte[] wire(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes(part instanceof byte[] bytes ? bytes : hex((String) part));
        }
        return out.toByteArray();
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static byte[] payload(int length, int seed) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) (seed * 31 + i);
        }
        return p;
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }
}
