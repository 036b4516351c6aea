package io.rtmprouter.proxy.relay;

import io.rtmprouter.proxy.relay.PipeBudget;
import io.rtmprouter.proxy.relay.StreamerDetector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HAProxy's fast-streamer rule for `option splice-auto`, and the `maxpipes` budget. */
class StreamerDetectorTest {
    @Test
    void threeFullPassesInARowMakeAFastStreamer() {
        StreamerDetector d = new StreamerDetector();
        assertEquals(15360, StreamerDetector.FULL_BUFFER, "HAProxy: bufsize 16384 less maxrewrite 1024");
        assertFalse(d.onPass(15360));
        assertFalse(d.onPass(65536));
        assertTrue(d.onPass(15360));
        assertTrue(d.fast());
    }

    @Test
    void aSmallerPassStartsTheCountAgain() {
        StreamerDetector d = new StreamerDetector();
        assertFalse(d.onPass(20000));
        assertFalse(d.onPass(20000));
        assertFalse(d.onPass(15359), "a live frame, an RTMP command: not a full buffer");
        assertFalse(d.onPass(20000));
        assertFalse(d.onPass(20000));
        assertTrue(d.onPass(20000));
    }

    @Test
    void twoPassesInARowOfAtMostHalfABufferEndIt() {
        StreamerDetector d = new StreamerDetector();
        d.onPass(20000);
        d.onPass(20000);
        d.onPass(20000);
        assertTrue(d.onPass(8192), "one small pass is not enough");
        assertTrue(d.onPass(8193), "more than half a buffer: the small count starts again");
        assertTrue(d.onPass(100));
        assertFalse(d.onPass(8192), "two small passes in a row: copied again");
        assertFalse(d.onPass(20000));
        assertFalse(d.onPass(20000));
        assertTrue(d.onPass(20000), "three full passes again");
    }

    @Test
    void maxpipesLendsAtMostItsPipesAndTakesThemBack() {
        PipeBudget pipes = new PipeBudget(2);
        assertTrue(pipes.tryTake());
        assertTrue(pipes.tryTake());
        assertFalse(pipes.tryTake());
        assertEquals(2, pipes.inUse());
        pipes.giveBack(2);
        assertTrue(pipes.tryTake());
        assertEquals(1, pipes.inUse());
    }
}
