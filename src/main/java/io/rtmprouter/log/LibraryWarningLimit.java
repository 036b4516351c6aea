package io.rtmprouter.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A rate limit on what the libraries log (Netty's warnings carry a stack trace, some a hex dump
 * of what a peer sent): at most {@link #PER_MINUTE} such events a minute, so that a client who
 * sends garbage cannot flood the log. The router's own lines (one per session, one per event of
 * the router) are not limited. The first event let through after some were dropped says how many.
 */
public final class LibraryWarningLimit extends TurboFilter {
    public static final int PER_MINUTE = 20;
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final LongSupplier clock;
    private final Object lock = new Object();
    private long windowStart;
    private int inWindow;
    private final AtomicLong dropped = new AtomicLong();

    public LibraryWarningLimit() {
        this(System::nanoTime);
    }

    LibraryWarningLimit(LongSupplier clock) {
        this.clock = clock;
        this.windowStart = clock.getAsLong();
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format == null || !logger.getName().startsWith("io.netty") || !level.isGreaterOrEqual(Level.WARN)
                || !logger.isEnabledFor(level)) {
            return FilterReply.NEUTRAL;
        }
        synchronized (lock) {
            long now = clock.getAsLong();
            if (now - windowStart >= MINUTE_NANOS) {
                windowStart = now;
                inWindow = 0;
            }
            if (inWindow >= PER_MINUTE) {
                dropped.incrementAndGet();
                return FilterReply.DENY;
            }
            inWindow++;
        }
        long before = dropped.getAndSet(0);
        if (before > 0) {
            org.slf4j.LoggerFactory.getLogger("router").warn("{}", new LogLine().add("event", "log_limited")
                    .add("dropped", before).add("limit_per_minute", PER_MINUTE).add("logger", "io.netty"));
        }
        return FilterReply.NEUTRAL;
    }

    /** Events dropped since the last one let through. */
    long dropped() {
        return dropped.get();
    }
}
