package io.rtmprouter.stats;

import io.rtmprouter.stick.FakeClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The `show stat` counters with HAProxy's arithmetic, on a clock the test moves. */
class TrafficCountersTest {
    @Test
    void sessionsCountCurrentMaxTotalAndTheSecondsSinceTheLast() {
        FakeClock clock = new FakeClock();
        TrafficCounters t = new TrafficCounters(clock);
        assertEquals(-1, t.secondsSinceLastSession(), "HAProxy's -1: never");
        t.sessionStarted();
        t.sessionStarted();
        t.sessionLeft();
        t.sessionStarted();
        assertEquals(2, t.current());
        assertEquals(2, t.max());
        assertEquals(3, t.total());
        clock.advance(Duration.ofMillis(2500));
        assertEquals(2, t.secondsSinceLastSession());
    }

    @Test
    void theRateIsTheLastSecondsSessionsAndItsMaxTheBusiestPeriod() {
        FakeClock clock = new FakeClock();
        TrafficCounters t = new TrafficCounters(clock);
        for (int i = 0; i < 5; i++) {
            t.sessionStarted();
        }
        assertEquals(5, t.rate());
        clock.advance(Duration.ofMillis(1500));
        // Half of the previous period still weighs: 5 x 0.5.
        assertEquals(2, t.rate());
        t.sessionStarted();
        assertEquals(5, t.rateMax());
        clock.advance(Duration.ofSeconds(3));
        assertEquals(0, t.rate());
    }

    @Test
    void timesAreHaproxysSlidingAverageOfTheLastSessions() {
        TrafficCounters t = new TrafficCounters(new FakeClock());
        t.sessionEnded(10, 20, -1, 4, 100);
        t.sessionEnded(1, 2, 30, 7, 301);
        t.sessionEnded(5, 5, -1, -1, 999);
        // Under 1024 sessions a plain sum, shown as ceil(sum / count).
        assertEquals(201, t.totalTimeMs());
        assertEquals(15, t.queueTimeMs(), "a session that never queued counts 0");
        assertEquals(6, t.connectTimeMs());
        assertEquals(16, t.endedBytesIn(), "bytes of every session, connected or not");
        assertEquals(27, t.endedBytesOut());
    }

    @Test
    void pastTheWindowEachValueTakesA1024th() {
        SlidingAverage a = new SlidingAverage();
        for (int i = 0; i < SlidingAverage.SAMPLES; i++) {
            a.add(100);
        }
        assertEquals(100, a.average());
        a.add(1124);
        // sum 102400 - 100 + 1124 = 103424: ceil(103424 / 1024) = 101.
        assertEquals(101, a.average());
        a.add(100);
        // 103424 - 101 + 100 = 103423: still 101 once rounded up.
        assertEquals(101, a.average());
    }

    @Test
    void checksCountFailuresDownTransitionsAndDowntime() {
        FakeClock clock = new FakeClock();
        CheckCounters c = new CheckCounters(clock);
        c.checked(new CheckCounters.LastCheck("L4CON", 0, 1, "Layer4 connection problem", "Connection refused", false),
                false, 0);
        c.changed(false, true);
        clock.advance(Duration.ofSeconds(3));
        assertEquals(3, c.downtimeSeconds());
        c.changed(true, false);
        clock.advance(Duration.ofSeconds(5));
        assertEquals(3, c.downtimeSeconds());
        assertEquals(5, c.secondsSinceLastChange());
        assertEquals(1, c.failedChecks());
        assertEquals(1, c.downTransitions());
        assertEquals("L4CON", c.last().status());
    }
}
