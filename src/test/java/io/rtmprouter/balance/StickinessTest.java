package io.rtmprouter.balance;

import io.rtmprouter.stick.FakeClock;
import org.junit.jupiter.api.Test;

import static io.rtmprouter.balance.Pools.assigned;
import static io.rtmprouter.balance.Pools.client;
import static io.rtmprouter.balance.Pools.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** `stick on|match|store-request src` as a backend applies them. */
class StickinessTest {
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
}
