package io.rtmprouter.stick;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * HAProxy's freq_ctr arithmetic (src/freq_ctr.c, include/haproxy/freq_ctr.h): the current
 * period's events plus the previous period's weighted by what remains of the current one.
 */
class FreqCounterTest {
    private static final long PERIOD = 10_000;
    private static final long T0 = 5_000_000;

    @Test
    void thePeriodStartsAtTheFirstEventAndCountsWithinIt() {
        FreqCounter c = new FreqCounter();
        assertEquals(0, c.read(T0, PERIOD), "never counted");
        for (int i = 0; i < 7; i++) {
            c.add(T0 + i * 1000, PERIOD, 1);
        }
        assertEquals(7, c.read(T0 + 9_999, PERIOD));
    }

    @Test
    void thePreviousPeriodWeighsWhatRemainsOfTheCurrentOne() {
        FreqCounter c = new FreqCounter();
        c.add(T0, PERIOD, 10);
        // 2.5 s into the second period: 10 * 7.5/10 = 7.5, rounded down.
        assertEquals(7, c.read(T0 + 12_500, PERIOD));
        c.add(T0 + 12_500, PERIOD, 3);
        assertEquals(10, c.read(T0 + 12_500, PERIOD), "(10 * 7500 + 3 * 10000) / 10000 = 10.5");
        assertEquals(4, c.read(T0 + 19_000, PERIOD), "(10 * 1000 + 3 * 10000) / 10000");
    }

    @Test
    void aLoneEventReadsAsOneUntilItIsOutOfReach() {
        FreqCounter c = new FreqCounter();
        c.add(T0, PERIOD, 1);
        assertEquals(1, c.read(T0 + 15_000, PERIOD), "flapping correction: a past of 1 is not weighed");
        assertEquals(1, c.read(T0 + 19_999, PERIOD));
        assertEquals(1, c.read(T0 + 20_000, PERIOD), "HAProxy keeps the past while 0 ms of it remain");
        assertEquals(0, c.read(T0 + 20_001, PERIOD), "then nothing is left");
    }

    @Test
    void twoQuietPeriodsRestartTheWindowAtTheNextEvent() {
        FreqCounter c = new FreqCounter();
        c.add(T0, PERIOD, 50);
        c.add(T0 + 25_000, PERIOD, 2);
        assertEquals(2, c.read(T0 + 25_000, PERIOD), "the 50 are two periods old: forgotten");
        // The new period began at the event (25 s), not at the next multiple of 10 s.
        assertEquals(2, c.read(T0 + 34_999, PERIOD));
        assertEquals(1, c.read(T0 + 40_000, PERIOD), "(2 * 5000 + 0) / 10000 = 1");
    }

    @Test
    void addReturnsTheCurrentPeriodsCount() {
        FreqCounter c = new FreqCounter();
        assertEquals(1, c.addAndGetCurrent(T0, PERIOD, 1));
        assertEquals(2, c.addAndGetCurrent(T0 + 1, PERIOD, 1));
        assertEquals(1, c.addAndGetCurrent(T0 + PERIOD, PERIOD, 1), "a new period counts afresh");
    }
}
