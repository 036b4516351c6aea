package io.rtmprouter.stats;

import io.rtmprouter.stick.MonotonicClock;

/**
 * A server's (or a backend's) health columns of HAProxy's `show stat`: failed checks (chkfail),
 * UP-to-DOWN transitions (chkdown), seconds since the last change of state (lastchg), seconds
 * spent DOWN (downtime), and the last check's status, code, duration and words (check_status,
 * check_code, check_duration, check_desc, last_chk). Thread-safe.
 */
public final class CheckCounters {
    /**
     * The last check, as `show stat` shows it: status (L4OK, L7STS, ...), code (shown only with
     * hasCode), duration, description ("Layer4 connection problem") and info ("Connection
     * refused"); status null before any.
     */
    public record LastCheck(String status, int code, long durationMs, String description, String info,
                            boolean hasCode) {
        static final LastCheck NONE = new LastCheck(null, 0, -1, null, null, false);
    }

    private final MonotonicClock clock;
    private long failedChecks;
    private long downTransitions;
    private long lastChangeAt;
    private long downSince = -1;
    private long downNanos;
    private LastCheck last = LastCheck.NONE;
    private int health = -1;

    public CheckCounters(MonotonicClock clock) {
        this.clock = clock;
        this.lastChangeAt = clock.nanoTime();
    }

    /** A check ended; `health` is the health counter after it (HAProxy's check_health). */
    public synchronized void checked(LastCheck check, boolean passed, int health) {
        last = check;
        this.health = health;
        if (!passed) {
            failedChecks++;
        }
    }

    /** Its state changed; `down` says whether it is DOWN (or in maintenance) now. */
    public synchronized void changed(boolean wasDown, boolean down) {
        long now = clock.nanoTime();
        lastChangeAt = now;
        if (down && !wasDown) {
            downTransitions++;
            downSince = now;
        } else if (!down && wasDown && downSince >= 0) {
            downNanos += now - downSince;
            downSince = -1;
        }
    }

    public synchronized long failedChecks() {
        return failedChecks;
    }

    public synchronized long downTransitions() {
        return downTransitions;
    }

    public synchronized long secondsSinceLastChange() {
        return (clock.nanoTime() - lastChangeAt) / 1_000_000_000L;
    }

    /** Seconds DOWN in all, the current stretch included. */
    public synchronized long downtimeSeconds() {
        long d = downNanos;
        if (downSince >= 0) {
            d += clock.nanoTime() - downSince;
        }
        return d / 1_000_000_000L;
    }

    /** The health counter after the last check; -1 before any. */
    public synchronized int health() {
        return health;
    }

    public synchronized LastCheck last() {
        return last;
    }
}
