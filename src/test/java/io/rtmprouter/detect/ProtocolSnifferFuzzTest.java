package io.rtmprouter.detect;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The first bytes of a connection, whatever they are (seeds: RTMP, RTMPE, a TLS ClientHello, an
 * RTMPT POST, PROXY v1 and v2 headers). scripts/fuzz runs it; the seeds run with it.
 */
class ProtocolSnifferFuzzTest {
    /** Per run of scripts/test; scripts/fuzz runs it in rounds for longer. */
    static final String FUZZ_TIME = "10s";

    /** An answer, never an exception; nothing consumed; once decided, one more byte changes nothing. */
    @FuzzTest(maxDuration = FUZZ_TIME)
    void anyFirstBytesGetAStableAnswerAndStayUnread(byte[] data) {
        ByteBuf in = Unpooled.wrappedBuffer(data);
        ClientProtocol p = ProtocolSniffer.sniff(in);
        assertNotNull(p);
        assertEquals(0, in.readerIndex(), "sniffing reads nothing");
        if (p != ClientProtocol.NEED_MORE) {
            byte[] longer = Arrays.copyOf(data, data.length + 1);
            assertEquals(p, ProtocolSniffer.sniff(Unpooled.wrappedBuffer(longer)), "one more byte changed the answer");
        }
    }
}
