package io.rtmprouter.balance;

import io.rtmprouter.stick.FakeClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static io.rtmprouter.balance.Pools.assigned;
import static io.rtmprouter.balance.Pools.client;
import static io.rtmprouter.balance.Pools.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `slowstart`: HAProxy's ramp of the weight and the maxconn of a server that comes back up. */
class SlowstartTest {
    private static Map<String, Integer> picks(BackendPool p, int n) {
        Map<String, Integer> count = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Server s = assigned(p, client(i));
            count.merge(s.name(), 1, Integer::sum);
            p.release(s);
        }
        return count;
    }

    @Test
    void aServerBackFromDownStartsAtASixteenthOfItsWeightAndGrowsEverySecondOfA20sSlowstart() {
        FakeClock clock = new FakeClock();
        BackendPool p = Pools.fromBackend("""
                 balance roundrobin
                 server a 10.0.0.1:1 weight 10 slowstart 20s
                 server b 10.0.0.2:1 weight 10
                """, clock);
        Server a = server(p, "a");
        assertEquals(Map.of("a", 10, "b", 10), picks(p, 20), "at start-up no slowstart applies");
        p.setStatus(a, Server.Status.DOWN);
        p.setStatus(a, Server.Status.UP);
        assertTrue(a.warming());
        // 1/16 of 10 against 10: a takes 1 of every 17.
        assertEquals(Map.of("a", 1, "b", 16), picks(p, 17));
        clock.advance(Duration.ofMillis(10_500));
        // 10 whole seconds of 20: (16 x 10 + 20) / 20 = 9 sixteenths, 90 against 160.
        assertEquals(Map.of("a", 9, "b", 16), picks(p, 25));
        clock.advance(Duration.ofSeconds(10));
        assertFalse(a.warming());
        assertEquals(Map.of("a", 10, "b", 10), picks(p, 20));
    }

    @Test
    void evenALongSlowstartStepsEverySecondAsHaproxysCodeDoes() {
        FakeClock clock = new FakeClock();
        BackendPool p = Pools.fromBackend("""
                 balance roundrobin
                 server a 10.0.0.1:1 weight 16 slowstart 100s
                 server b 10.0.0.2:1 weight 16
                """, clock);
        Server a = server(p, "a");
        assertEquals(1000, a.rampStepMillis(), "max(1000, 100 s / 20) with the slowstart in seconds");
        p.setStatus(a, Server.Status.DOWN);
        p.setStatus(a, Server.Status.UP);
        clock.advance(Duration.ofMillis(9_500));
        // 9 whole seconds: (16 x 9 + 100) / 100 = 2 sixteenths.
        assertEquals(32, a.balancedWeight());
        clock.advance(Duration.ofSeconds(10));
        // 19 s: (304 + 100) / 100 = 4 sixteenths.
        assertEquals(64, a.balancedWeight());
    }

    @Test
    void theMaxconnGrowsFromOneToItsFullValue() {
        FakeClock clock = new FakeClock();
        BackendPool p = Pools.fromBackend("""
                 server a 10.0.0.1:1 maxconn 10 slowstart 10s
                """, clock);
        Server a = server(p, "a");
        p.setStatus(a, Server.Status.DOWN);
        p.setStatus(a, Server.Status.UP);
        assertEquals(1, a.effectiveMaxconn());
        clock.advance(Duration.ofSeconds(5));
        assertEquals(5, a.effectiveMaxconn());
        clock.advance(Duration.ofSeconds(5));
        assertEquals(10, a.effectiveMaxconn());
    }

    @Test
    void waitersGetTheSlotsAStepOpens() {
        FakeClock clock = new FakeClock();
        BackendPool p = Pools.fromBackend("""
                 server a 10.0.0.1:1 maxconn 4 slowstart 4s
                """, clock);
        Server a = server(p, "a");
        p.setStatus(a, Server.Status.DOWN);
        p.setStatus(a, Server.Status.UP);
        assertEquals(a, assigned(p, client(1)));
        int[] granted = {0};
        BackendPool.Assignment waiting = p.assign(client(2), s -> granted[0]++, null);
        assertTrue(waiting instanceof BackendPool.Queued, "maxconn is 1 at first");
        clock.advance(Duration.ofSeconds(2));
        assertTrue(p.rampStep(a));
        assertEquals(1, granted[0], "2 s of 4: maxconn 2, the waiter is let in");
    }
}
