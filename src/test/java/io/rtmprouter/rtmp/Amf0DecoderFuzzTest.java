package io.rtmprouter.rtmp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AMF0 values on any bytes: decoded, or refused with {@link MalformedRtmpException}, in work
 * bounded by the input. Seeds: the captured connect bodies.
 * Any other exception is a finding (docs/operations.md, Fuzzing).
 */
class Amf0DecoderFuzzTest {
    /** Per run of scripts/test; scripts/fuzz runs it in rounds for longer. */
    static final String FUZZ_TIME = "10s";

    @FuzzTest(maxDuration = FUZZ_TIME)
    void amf0ValuesDecodeOrAreRefused(byte[] data) {
        Amf0Decoder d = new Amf0Decoder(Unpooled.wrappedBuffer(data));
        try {
            for (int values = 0; d.hasMore(); values++) {
                d.readValue();
                assertTrue(values <= data.length, "more values than bytes");
            }
        } catch (MalformedRtmpException refused) {
            // refused
        }
    }
}
