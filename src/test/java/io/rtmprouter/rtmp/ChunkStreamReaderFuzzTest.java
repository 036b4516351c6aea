package io.rtmprouter.rtmp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chunk stream a client sends up to connect, on any bytes: whole chunks are consumed or the
 * stream is refused with {@link MalformedRtmpException}, within the message limit. Seeds: the
 * captured ffmpeg and rtmpdump connects, chunked as they send them.
 * Any other exception is a finding (docs/operations.md, Fuzzing).
 */
class ChunkStreamReaderFuzzTest {
    /** Per run of scripts/test; scripts/fuzz runs it in rounds for longer. */
    static final String FUZZ_TIME = "10s";

    /** The chunk stream up to connect, fed in two parts at a point the input chooses. */
    @FuzzTest(maxDuration = FUZZ_TIME)
    void theChunkReaderConsumesWholeChunksOrRefuses(byte[] data) {
        ChunkStreamReader reader = new ChunkStreamReader(64 * 1024);
        int split = data.length == 0 ? 0 : (data[0] & 0xFF) % (data.length + 1);
        ByteBuf in = Unpooled.buffer();
        try {
            for (byte[] part : new byte[][] {Arrays.copyOfRange(data, 0, split), Arrays.copyOfRange(data, split, data.length)}) {
                in.writeBytes(part);
                int messages = 0;
                for (RtmpMessage m; (m = reader.next(in)) != null; messages++) {
                    assertTrue(m.payload().length <= 64 * 1024, "a message over the limit was assembled");
                    assertTrue(messages <= data.length, "more messages than bytes");
                }
            }
        } catch (MalformedRtmpException refused) {
            // a precise refusal is the right answer to a malformed stream
        }
    }
}
