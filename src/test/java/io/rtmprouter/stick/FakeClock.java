package io.rtmprouter.stick;

import java.time.Duration;

/** A clock that moves only when a test says so. */
public final class FakeClock implements MonotonicClock {
    private long now = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return now;
    }

    public void advance(Duration d) {
        now += d.toNanos();
    }
}
