package io.rtmprouter.detect;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;

import static io.rtmprouter.detect.ClientProtocol.HTTP;
import static io.rtmprouter.detect.ClientProtocol.NEED_MORE;
import static io.rtmprouter.detect.ClientProtocol.PROXY_HEADER;
import static io.rtmprouter.detect.ClientProtocol.RTMP;
import static io.rtmprouter.detect.ClientProtocol.RTMPE;
import static io.rtmprouter.detect.ClientProtocol.TLS;
import static io.rtmprouter.detect.ClientProtocol.UNKNOWN;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every sample is judged at every prefix length: NEED_MORE until its deciding byte has arrived,
 * then its final answer, which more bytes never change. The sniffer only peeks.
 */
class ProtocolSnifferTest {
    /** The first bytes of a real TLS 1.2-compatible ClientHello: record header, then the handshake header. */
    private static final byte[] TLS_CLIENT_HELLO = HexFormat.of().parseHex("160301020001" + "0001fc0303");
    private static final byte[] PROXY_V2_SIGNATURE = HexFormat.of().parseHex("0d0a0d0a000d0a515549540a");

    static Stream<Arguments> samples() {
        return Stream.of(
                sample("RTMP C0", concat(new byte[] {3}, new byte[20]), 1, RTMP),
                sample("RTMPE C0 6", concat(new byte[] {6}, new byte[20]), 1, RTMPE),
                sample("RTMPE C0 8 (librtmp)", concat(new byte[] {8}, new byte[20]), 1, RTMPE),
                sample("TLS ClientHello", TLS_CLIENT_HELLO, 2, TLS),
                sample("GET", ascii("GET /open/1 HTTP/1.1\r\n"), 4, HTTP),
                sample("POST", ascii("POST /open/1 HTTP/1.1\r\n"), 5, HTTP),
                sample("PUT", ascii("PUT /x HTTP/1.1\r\n"), 4, HTTP),
                sample("HEAD", ascii("HEAD /x HTTP/1.1\r\n"), 5, HTTP),
                sample("DELETE", ascii("DELETE /x HTTP/1.1\r\n"), 7, HTTP),
                sample("OPTIONS", ascii("OPTIONS * HTTP/1.1\r\n"), 8, HTTP),
                sample("PATCH", ascii("PATCH /x HTTP/1.1\r\n"), 6, HTTP),
                sample("TRACE", ascii("TRACE /x HTTP/1.1\r\n"), 6, HTTP),
                sample("CONNECT", ascii("CONNECT host:443 HTTP/1.1\r\n"), 8, HTTP),
                sample("PROXY v1", ascii("PROXY TCP4 192.0.2.1 192.0.2.2 40000 1935\r\n"), 6, PROXY_HEADER),
                sample("PROXY v2", concat(PROXY_V2_SIGNATURE, new byte[] {0x21, 0x11, 0, 12}), 12, PROXY_HEADER),
                sample("byte 0x01", new byte[] {1, 2, 3}, 1, UNKNOWN),
                sample("byte 0x00", new byte[] {0, 0}, 1, UNKNOWN),
                sample("0x16 then not TLS 1.x", new byte[] {0x16, 0x00, 0x01}, 2, UNKNOWN),
                sample("POSX", ascii("POSX / HTTP/1.1\r\n"), 4, UNKNOWN),
                sample("G then NUL", ascii("G\0ET "), 2, UNKNOWN),
                sample("lower-case get", ascii("get / HTTP/1.1\r\n"), 1, UNKNOWN),
                sample("PROX then not Y", ascii("PROXZ "), 5, UNKNOWN),
                sample("PROXY without its space", ascii("PROXY\r\n"), 6, UNKNOWN),
                sample("PROXY v2 signature broken at its last byte",
                        concat(Arrays.copyOf(PROXY_V2_SIGNATURE, 11), new byte[] {0x0B}), 12, UNKNOWN));
    }

    /**
     * @param bytes          the first bytes a client sends
     * @param decidingLength how many of them the sniffer needs to answer
     * @param answer         its answer from then on
     */
    private static Arguments sample(String name, byte[] bytes, int decidingLength, ClientProtocol answer) {
        return Arguments.of(name, bytes, decidingLength, answer);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void eachPrefixNeedsMoreUntilTheDecidingByteThenGetsTheFinalAnswer(String name, byte[] bytes, int decidingLength,
                                                                       ClientProtocol answer) {
        assertTrue(decidingLength <= ProtocolSniffer.LONGEST_PREFIX, "no sample needs more than LONGEST_PREFIX");
        for (int length = 0; length <= bytes.length; length++) {
            ClientProtocol expected = length < decidingLength ? NEED_MORE : answer;
            assertEquals(expected, sniffUnmoved(Arrays.copyOf(bytes, length)), name + " with " + length + " bytes");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void bytesBeforeTheReaderIndexAreNotLookedAt(String name, byte[] bytes, int decidingLength, ClientProtocol answer) {
        // Bytes already consumed (here a would-be RTMP C0) must not be mistaken for the start.
        byte[] consumed = {3, 3, 3};
        ByteBuf in = Unpooled.wrappedBuffer(concat(consumed, bytes));
        in.readerIndex(consumed.length);
        try {
            assertEquals(answer, ProtocolSniffer.sniff(in), name);
            assertEquals(consumed.length, in.readerIndex());
        } finally {
            in.release();
        }
    }

    @Test
    void theLongestPrefixIsThePROXYv2Signature() {
        assertEquals(12, ProtocolSniffer.LONGEST_PREFIX);
    }

    /** Sniffs a fresh buffer holding `bytes` and checks that neither index moved. */
    private static ClientProtocol sniffUnmoved(byte[] bytes) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            ClientProtocol p = ProtocolSniffer.sniff(in);
            assertEquals(0, in.readerIndex(), "sniff never consumes");
            assertEquals(bytes.length, in.writerIndex());
            return p;
        } finally {
            in.release();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
