package io.rtmprouter.stats;

import io.rtmprouter.stick.MonotonicClock;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The traffic columns of HAProxy's `show stat` for one frontend, backend or server, as events
 * happen: sessions (scur, smax, stot, rate, rate_max, lastsess), bytes of ended sessions (the
 * live ones are added by whoever reads), denials and errors (dcon, dses, dreq, ereq, econ, eresp),
 * retries and redispatches (wretr, wredis), aborts (cli_abrt, srv_abrt), balanced picks (lbtot),
 * and the average queue, connect and total times of the last 1024 sessions (qtime, ctime, ttime).
 * Thread-safe; each event is a few atomic operations, nothing per byte.
 */
public final class TrafficCounters {
    private final MonotonicClock clock;
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger max = new AtomicInteger();
    private final AtomicInteger queueMax = new AtomicInteger();
    private final LongAdder total = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder deniedConnections = new LongAdder();
    private final LongAdder deniedSessions = new LongAdder();
    private final LongAdder deniedRequests = new LongAdder();
    private final LongAdder requestErrors = new LongAdder();
    private final LongAdder connectionErrors = new LongAdder();
    private final LongAdder responseErrors = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder redispatches = new LongAdder();
    private final LongAdder clientAborts = new LongAdder();
    private final LongAdder serverAborts = new LongAdder();
    private final LongAdder balancedPicks = new LongAdder();
    private final SessionRate rate;
    private final SlidingAverage queueTime = new SlidingAverage();
    private final SlidingAverage connectTime = new SlidingAverage();
    private final SlidingAverage totalTime = new SlidingAverage();
    private volatile long lastSessionAt = Long.MIN_VALUE;

    public TrafficCounters(MonotonicClock clock) {
        this.clock = clock;
        this.rate = new SessionRate(clock);
    }

    /** A session began here (accepted by a frontend, sent to a backend, given a server's slot). */
    public void sessionStarted() {
        int now = current.incrementAndGet();
        max.accumulateAndGet(now, Math::max);
        total.increment();
        rate.add();
        lastSessionAt = clock.nanoTime();
    }

    /**
     * What was counted as a session is none: an RTMPT connection that carries requests (its
     * tunnelled sessions are counted, it is not), so it leaves scur and stot, as if never counted.
     */
    public void sessionWithdrawn() {
        current.decrementAndGet();
        total.decrement();
    }

    /** A session that began here gave its place back (scur). */
    public void sessionLeft() {
        current.decrementAndGet();
    }

    /** A queue here is this long now (qmax). */
    public void queueLength(int length) {
        queueMax.accumulateAndGet(length, Math::max);
    }

    public int queueMax() {
        return queueMax.get();
    }

    /**
     * A session that began here ended: what it moved and how long it took.
     *
     * @param queueMs   its time in a queue, -1 if it never queued
     * @param connectMs its time to connect to its server, -1 if it never did: then, as in HAProxy,
     *                  its times are not averaged
     * @param totalMs   its whole life
     */
    public void sessionEnded(long in, long out, long queueMs, long connectMs, long totalMs) {
        bytesIn.add(in);
        bytesOut.add(out);
        if (connectMs >= 0) {
            queueTime.add(Math.max(0, queueMs));
            connectTime.add(connectMs);
            totalTime.add(totalMs);
        }
    }

    public void deniedConnection() {
        deniedConnections.increment();
    }

    public void deniedSession() {
        deniedSessions.increment();
    }

    public void deniedRequest() {
        deniedRequests.increment();
    }

    public void requestError() {
        requestErrors.increment();
    }

    public void connectionError() {
        connectionErrors.increment();
    }

    public void responseError() {
        responseErrors.increment();
    }

    public void retried() {
        retries.increment();
    }

    public void redispatched() {
        redispatches.increment();
    }

    public void clientAborted() {
        clientAborts.increment();
    }

    public void serverAborted() {
        serverAborts.increment();
    }

    public void balancedPick() {
        balancedPicks.increment();
    }

    public int current() {
        return current.get();
    }

    public int max() {
        return max.get();
    }

    public long total() {
        return total.sum();
    }

    /** Bytes from clients of the sessions that ended (bin without the live sessions). */
    public long endedBytesIn() {
        return bytesIn.sum();
    }

    public long endedBytesOut() {
        return bytesOut.sum();
    }

    public long deniedConnections() {
        return deniedConnections.sum();
    }

    public long deniedSessions() {
        return deniedSessions.sum();
    }

    public long deniedRequests() {
        return deniedRequests.sum();
    }

    public long requestErrors() {
        return requestErrors.sum();
    }

    public long connectionErrors() {
        return connectionErrors.sum();
    }

    public long responseErrors() {
        return responseErrors.sum();
    }

    public long retries() {
        return retries.sum();
    }

    public long redispatches() {
        return redispatches.sum();
    }

    public long clientAborts() {
        return clientAborts.sum();
    }

    public long serverAborts() {
        return serverAborts.sum();
    }

    public long balancedPicks() {
        return balancedPicks.sum();
    }

    public long rate() {
        return rate.perSecond();
    }

    public long rateMax() {
        return rate.max();
    }

    public long queueTimeMs() {
        return queueTime.average();
    }

    public long connectTimeMs() {
        return connectTime.average();
    }

    public long totalTimeMs() {
        return totalTime.average();
    }

    /** Seconds since the last session began here, -1 if none ever did (HAProxy's lastsess). */
    public long secondsSinceLastSession() {
        long at = lastSessionAt;
        return at == Long.MIN_VALUE ? -1 : (clock.nanoTime() - at) / 1_000_000_000L;
    }
}
