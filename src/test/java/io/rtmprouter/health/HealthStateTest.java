package io.rtmprouter.health;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthStateTest {
    private static final Duration INTER = Duration.ofSeconds(2);
    private static final Duration FAST = Duration.ofMillis(500);
    private static final Duration DOWN = Duration.ofSeconds(10);

    @Test
    void startsUpAndAFirstFailureTakesItDownLikeHaproxysDefaultInitState() {
        HealthState h = new HealthState(2, 3, INTER, FAST, DOWN);
        assertTrue(h.isUp());
        assertEquals(FAST, h.nextInterval(), "not yet confirmed");
        assertTrue(h.record(false));
        assertFalse(h.isUp());
        assertEquals(DOWN, h.nextInterval());
    }

    @Test
    void onceFullyUpItTakesFallConsecutiveFailuresToGoDown() {
        HealthState h = new HealthState(2, 3, INTER, FAST, DOWN);
        h.record(true);
        h.record(true);
        h.record(true);
        assertEquals(INTER, h.nextInterval());
        assertFalse(h.record(false));
        assertEquals(FAST, h.nextInterval(), "in transition");
        assertFalse(h.record(false));
        assertTrue(h.isUp());
        assertTrue(h.record(false), "third failure");
        assertFalse(h.isUp());
    }

    @Test
    void aSuccessInTheMiddleResetsTheSlideTowardsDown() {
        HealthState h = new HealthState(2, 3, INTER, FAST, DOWN);
        for (int i = 0; i < 5; i++) {
            h.record(true);
        }
        h.record(false);
        h.record(false);
        h.record(true);
        assertFalse(h.record(false));
        assertTrue(h.isUp());
    }

    @Test
    void comesBackAfterRiseConsecutiveSuccesses() {
        HealthState h = new HealthState(2, 3, INTER, FAST, DOWN);
        h.record(false);
        assertFalse(h.record(true));
        assertEquals(FAST, h.nextInterval());
        assertTrue(h.record(true));
        assertTrue(h.isUp());
        assertEquals(INTER, h.nextInterval(), "fully up after coming back");
    }

    @Test
    void checkTimeoutFollowsHaproxy() {
        Duration inter = Duration.ofSeconds(2);
        assertEquals(inter, HealthChecker.checkTimeout(inter, null, null));
        assertEquals(inter, HealthChecker.checkTimeout(inter, Duration.ofSeconds(5), null));
        assertEquals(Duration.ofSeconds(1), HealthChecker.checkTimeout(inter, Duration.ofSeconds(1), Duration.ofSeconds(9)));
        assertEquals(inter, HealthChecker.checkTimeout(inter, Duration.ofSeconds(5), Duration.ofSeconds(9)));
    }

    @Test
    void describesNettyConnectErrorsTheWayHaproxyDoes() {
        assertEquals("Connection refused", HealthChecker.describe(
                new java.io.IOException("connect(..) failed: Connection refused: /127.0.1.2:1935")));
        assertEquals("Connection refused", HealthChecker.describe(
                new java.io.IOException("Connection refused: /127.0.1.2:1935")));
        assertEquals("Connection refused", HealthChecker.describe(new java.io.IOException(
                "finishConnect(..) failed with error(-111): Connection refused: /127.0.1.2:1935")));
    }

    @Test
    void suddenDeathLeavesOneFailureAndMarkDownNone() {
        HealthState s = new HealthState(2, 3, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(2));
        s.record(true);
        s.record(true);
        s.suddenDeath();
        assertFalse(s.record(false), "sudden death: the failure it counts leaves the server UP");
        assertTrue(s.isUp());
        assertTrue(s.record(false), "and the next takes it DOWN");

        HealthState m = new HealthState(2, 3, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(2));
        m.record(true);
        m.record(true);
        m.markDown();
        assertTrue(m.record(false), "mark-down: one failure takes a fully UP server DOWN");
        assertFalse(m.isUp());
    }
}
