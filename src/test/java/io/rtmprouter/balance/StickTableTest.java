package io.rtmprouter.balance;

import io.rtmprouter.config.StickTableConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.rtmprouter.balance.Pools.assigned;
import static io.rtmprouter.balance.Pools.client;
import static io.rtmprouter.balance.Pools.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StickTableTest {
    private static final byte[] A = {127, 0, 0, 1};
    private static final byte[] B = {127, 0, 0, 2};
    private static final byte[] C = {127, 0, 0, 3};

    private static StickTable table(long size, Duration expire, boolean nopurge, FakeClock clock) {
        return new StickTable(new StickTableConfig(StickTableConfig.KeyType.IPV4, size, expire, nopurge), clock);
    }

    @Test
    void anEntryExpiresAfterItsLastUseNotItsCreation() {
        FakeClock clock = new FakeClock();
        StickTable t = table(10, Duration.ofMinutes(20), false, clock);
        t.store(A, "media01");
        clock.advance(Duration.ofMinutes(15));
        assertEquals("media01", t.match(A), "a match refreshes the entry");
        clock.advance(Duration.ofMinutes(15));
        assertEquals("media01", t.match(A), "30 minutes after creation but 15 after the last match");
        clock.advance(Duration.ofMinutes(20));
        assertNull(t.match(A));
        assertEquals(0, t.size());
    }

    @Test
    void whenFullTheEntryUnusedForLongestIsPurged() {
        FakeClock clock = new FakeClock();
        StickTable t = table(2, Duration.ofMinutes(20), false, clock);
        t.store(A, "s1");
        clock.advance(Duration.ofSeconds(1));
        t.store(B, "s2");
        clock.advance(Duration.ofSeconds(1));
        t.match(A);
        assertTrue(t.store(C, "s3"));
        assertEquals(2, t.size());
        assertNull(t.match(B), "B was used least recently");
        assertEquals("s1", t.match(A));
        assertEquals("s3", t.match(C));
    }

    @Test
    void nopurgeKeepsAFullTableAsItIs() {
        StickTable t = table(1, null, true, new FakeClock());
        assertTrue(t.store(A, "s1"));
        assertFalse(t.store(B, "s2"));
        assertTrue(t.store(A, "s9"), "an existing key is still updated");
        assertEquals("s9", t.match(A));
        assertNull(t.match(B));
    }

    @Test
    void expiredEntriesMakeRoomBeforeLiveOnesArePurged() {
        FakeClock clock = new FakeClock();
        StickTable t = table(2, Duration.ofSeconds(10), true, clock);
        t.store(A, "s1");
        clock.advance(Duration.ofSeconds(11));
        t.store(B, "s2");
        assertTrue(t.store(C, "s3"), "A expired, so nopurge has room");
        assertEquals("s2", t.match(B));
    }

    private static final String STICKY = """
             balance roundrobin
             stick-table type ip size 200k expire 20m
             stick on src
             server media01 10.0.0.1:1935 weight 10
             server media02 10.0.0.2:1935 weight 10
             server media03 10.0.0.3:1935 weight 8
            """;

    @Test
    void aReturningClientGoesBackToItsServer() {
        BackendPool p = Pools.fromBackend(STICKY, new FakeClock());
        Server first = assigned(p, client(7));
        p.stickStore(client(7), first);
        p.release(first);
        for (int i = 0; i < 10; i++) {
            Server again = assigned(p, client(7));
            assertEquals(first, again);
            p.release(again);
        }
        // Sticky matches do not consume round-robin turns: the next new client gets the next server.
        assertNotEquals(first, assigned(p, client(8)));
    }

    @Test
    void anEntryPointingAtADownServerIsNotUsedAndIsOverwritten() {
        FakeClock clock = new FakeClock();
        BackendPool p = Pools.fromBackend(STICKY, clock);
        Server first = assigned(p, client(7));
        p.stickStore(client(7), first);
        p.setStatus(first, Server.Status.DOWN);
        Server moved = assigned(p, client(7));
        assertNotEquals(first, moved);
        p.stickStore(client(7), moved);
        p.setStatus(first, Server.Status.UP);
        assertEquals(moved, assigned(p, client(7)), "the entry now names the new server");
    }

    @Test
    void weightZeroStillAcceptsItsStickyClients() {
        BackendPool p = Pools.fromBackend("""
                 stick-table type ip size 10 expire 1m
                 stick on src
                 server a 10.0.0.1:1 weight 0
                 server b 10.0.0.2:1
                """, new FakeClock());
        p.stickStore(client(1), server(p, "a"));
        assertEquals("a", assigned(p, client(1)).name());
        assertEquals("b", assigned(p, client(2)).name());
    }

    @Test
    void stickMatchAloneNeverStoresAndStoreRequestAloneNeverMatches() {
        BackendPool matchOnly = Pools.fromBackend("""
                 stick-table type ip size 10 expire 1m
                 stick match src
                 server a 10.0.0.1:1
                 server b 10.0.0.2:1
                """, new FakeClock());
        Server s = assigned(matchOnly, client(1));
        matchOnly.stickStore(client(1), s);
        assertNotEquals(s, assigned(matchOnly, client(1)), "nothing was stored, so round robin moves on");

        BackendPool storeOnly = Pools.fromBackend("""
                 stick-table type ip size 10 expire 1m
                 stick store-request src
                 server a 10.0.0.1:1
                 server b 10.0.0.2:1
                """, new FakeClock());
        Server t = assigned(storeOnly, client(1));
        storeOnly.stickStore(client(1), t);
        assertNotEquals(t, assigned(storeOnly, client(1)), "stored but never matched");
    }

    @Test
    void ipv6TablesStoreIpv4ClientsAsMappedAddresses() {
        byte[] key = StickKeys.of(Pools.ip("127.0.0.9"), StickTableConfig.KeyType.IPV6);
        assertEquals(16, key.length);
        assertEquals((byte) 0xff, key[10]);
        assertEquals(9, key[15]);
        assertNull(StickKeys.of(Pools.ip("::2"), StickTableConfig.KeyType.IPV4), "IPv6 cannot go into an ipv4 table");
        assertEquals(4, StickKeys.of(Pools.ip("::ffff:127.0.0.1"), StickTableConfig.KeyType.IPV4).length);
    }
}
