package io.rtmprouter.rtmp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;

/**
 * A connect command body (AMF0, or AMF3-wrapped) on any bytes: decoded, or refused with
 * {@link MalformedRtmpException}. Seeds: the captured connect bodies.
 * Any other exception is a finding (docs/operations.md, Fuzzing).
 */
class ConnectCommandFuzzTest {
    /** Per run of scripts/test; scripts/fuzz runs it in rounds for longer. */
    static final String FUZZ_TIME = "10s";

    @FuzzTest(maxDuration = FUZZ_TIME)
    void aConnectCommandDecodesOrIsRefused(byte[] data) {
        for (boolean amf3 : new boolean[] {false, true}) {
            try {
                ConnectCommand c = ConnectCommand.decode(Unpooled.wrappedBuffer(data), amf3);
                c.role();
            } catch (MalformedRtmpException refused) {
                // refused
            }
        }
    }
}
