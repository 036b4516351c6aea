package io.rtmprouter.stick;

/**
 * An event rate over a sliding period, as HAProxy's `freq_ctr` counts it: the events of the
 * current period plus those of the previous one weighted by how much of the period is still to
 * run. The period starts at the first event and is rotated by whole periods, so two routers fed
 * the same events at the same times report the same rates. Times are milliseconds of a monotonic
 * clock. Not thread-safe: its stick table's lock guards it.
 */
public final class FreqCounter {
    private long currentStart;
    private long current;
    private long previous;
    private boolean started;

    /** Counts {@code events} at time {@code nowMs}. */
    public void add(long nowMs, long periodMs, long events) {
        addAndGetCurrent(nowMs, periodMs, events);
    }

    /** Counts {@code events} and returns the current period's count, as HAProxy's update does. */
    public long addAndGetCurrent(long nowMs, long periodMs, long events) {
        if (started && nowMs - currentStart < periodMs) {
            current += events;
            return current;
        }
        previous = current;
        current = events;
        currentStart += periodMs;
        if (!started || nowMs - currentStart >= periodMs) {
            // Two periods or more went by with no event (or none ever did): the past is empty.
            previous = 0;
            currentStart = nowMs;
        }
        started = true;
        return current;
    }

    /** The events per period at time {@code nowMs}, rounded down. */
    public long read(long nowMs, long periodMs) {
        long curr = current;
        long past = previous;
        long remain = currentStart + periodMs - nowMs;
        if (!started) {
            return 0;
        }
        if (remain < 0) {
            // Past the current period: it becomes the previous one, if still within reach.
            remain += periodMs;
            past = remain >= 0 ? curr : 0;
            curr = 0;
        }
        if (curr == 0 && past <= 1) {
            // HAProxy's flapping correction: one lone event reads as one until it is out of reach.
            return past;
        }
        return (past * remain + curr * periodMs) / periodMs;
    }
}
