package io.rtmprouter.health;

import java.time.Duration;

/**
 * HAProxy's health counter for one server: 0..rise+fall-1, UP from rise upwards. A server starts
 * UP at exactly rise ("up, unconfirmed"), so its first failed check takes it DOWN, as HAProxy's
 * default init-state does; once fully up, it takes `fall` consecutive failures. The interval
 * between checks is `inter` when settled UP, `downinter` when settled DOWN, `fastinter` between.
 */
public final class HealthState {
    private final int rise;
    private final int fall;
    private final Duration inter;
    private final Duration fastinter;
    private final Duration downinter;
    private int health;
    private boolean up;

    public HealthState(int rise, int fall, Duration inter, Duration fastinter, Duration downinter) {
        this.rise = rise;
        this.fall = fall;
        this.inter = inter;
        this.fastinter = fastinter;
        this.downinter = downinter;
        this.health = rise;
        this.up = true;
    }

    /** Applies a result; returns true when the server changed between UP and DOWN. */
    public boolean record(boolean passed) {
        int max = rise + fall - 1;
        if (passed) {
            if (health < max) {
                health++;
            }
            if (!up && health >= rise) {
                up = true;
                health = max;
                return true;
            }
            return false;
        }
        if (up) {
            if (health > rise) {
                health--;
                return false;
            }
            up = false;
            health = 0;
            return true;
        }
        health = 0;
        return false;
    }

    /**
     * Leaving maintenance, as HAProxy does: UP at exactly rise, as at start-up, so that the next
     * check, sent at once, confirms it or takes it DOWN.
     */
    public void restart() {
        health = rise;
        up = true;
    }

    /**
     * An agent's `up` (fully up) or `down`/`stopped`/`fail` (down at once), as HAProxy sets the
     * health; returns true when the server changed between UP and DOWN.
     */
    public boolean force(boolean upNow) {
        health = upNow ? rise + fall - 1 : 0;
        boolean changed = up != upNow;
        up = upNow;
        return changed;
    }

    /** `on-error sudden-death`: an UP server keeps one failure between it and DOWN (then one is counted). */
    public void suddenDeath() {
        if (up && health > rise) {
            health = rise + 1;
        }
    }

    /** `on-error mark-down`: the next failure takes an UP server DOWN. */
    public void markDown() {
        if (up) {
            health = rise;
        }
    }

    public boolean isUp() {
        return up;
    }

    /** The counter itself, 0..rise+fall-1: HAProxy's check_health column. */
    public int health() {
        return health;
    }

    public Duration nextInterval() {
        if (up && health == rise + fall - 1) {
            return inter;
        }
        if (!up && health == 0) {
            return downinter;
        }
        return fastinter;
    }
}
