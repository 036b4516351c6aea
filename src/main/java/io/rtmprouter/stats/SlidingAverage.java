package io.rtmprouter.stats;

/**
 * HAProxy's average over the last 1024 sessions (TIME_STATS_SAMPLES), as its stream.c and
 * stats.c keep it: until 1024 values came, a plain sum shown as ceil(sum / count); after, a
 * sliding sum from which each value takes a 1024th (sum = sum - ceil(sum / 1024) + v), shown as
 * ceil(sum / 1024). It needs no history.
 */
final class SlidingAverage {
    static final int SAMPLES = 1024;
    private long sum;
    private long count;

    synchronized void add(long value) {
        long n = count >= SAMPLES ? SAMPLES : 0;
        sum = sum - (n > 0 ? (sum + n - 1) / n : 0) + value;
        count++;
    }

    synchronized long average() {
        if (count == 0) {
            return 0;
        }
        long n = Math.min(count, SAMPLES);
        return (sum + n - 1) / n;
    }
}
