package io.rtmprouter.stats;

import io.rtmprouter.stick.FreqCounter;
import io.rtmprouter.stick.MonotonicClock;

/** Sessions per second as HAProxy's stats count them (a freq_ctr over one second), and the highest seen. */
final class SessionRate {
    private static final long PERIOD_MS = 1000;
    private final FreqCounter counter = new FreqCounter();
    private final MonotonicClock clock;
    private long max;

    SessionRate(MonotonicClock clock) {
        this.clock = clock;
    }

    synchronized void add() {
        long now = clock.nanoTime() / 1_000_000;
        // HAProxy's max is the current period's count as it is updated (update_freq_ctr's return).
        max = Math.max(max, counter.addAndGetCurrent(now, PERIOD_MS, 1));
    }

    synchronized long perSecond() {
        return counter.read(clock.nanoTime() / 1_000_000, PERIOD_MS);
    }

    synchronized long max() {
        return max;
    }
}
