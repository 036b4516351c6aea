package io.rtmprouter.balance;

import io.rtmprouter.stick.FakeClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.rtmprouter.balance.Pools.assigned;
import static io.rtmprouter.balance.Pools.client;
import static io.rtmprouter.balance.Pools.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueueTest {
    /** Records grants in order, as "client->server". */
    private static final class Grants {
        final List<String> log = new ArrayList<>();

        BackendPool.Waiter waiter(String client) {
            return s -> log.add(client + "->" + s.name());
        }
    }

    @Test
    void clientsBeyondMaxconnWaitInOrderAndAreServedAsSlotsFree() {
        BackendPool p = Pools.fromBackend("""
                 server a 10.0.0.1:1 maxconn 1
                 server b 10.0.0.2:1 maxconn 1
                """, new FakeClock());
        Server s1 = assigned(p, client(1));
        Server s2 = assigned(p, client(2));
        Grants g = new Grants();
        assertInstanceOf(BackendPool.Queued.class, p.assign(client(3), g.waiter("c3"), null));
        assertInstanceOf(BackendPool.Queued.class, p.assign(client(4), g.waiter("c4"), null));
        assertEquals(2, p.queuedInBackend());
        p.release(s2);
        assertEquals(List.of("c3->b"), g.log);
        p.release(s1);
        assertEquals(List.of("c3->b", "c4->a"), g.log);
        assertEquals(1, server(p, "a").currentConnections());
        assertEquals(1, server(p, "b").currentConnections());
        assertEquals(0, p.queuedInBackend());
    }

    @Test
    void aCancelledWaiterIsNeverServed() {
        BackendPool p = Pools.fromBackend(" server a 10.0.0.1:1 maxconn 1\n", new FakeClock());
        Server s = assigned(p, client(1));
        Grants g = new Grants();
        BackendPool.Queued q = (BackendPool.Queued) p.assign(client(2), g.waiter("c2"), null);
        p.assign(client(3), g.waiter("c3"), null);
        assertTrue(p.cancel(q.ticket()));
        assertFalse(p.cancel(q.ticket()), "cancelling twice finds nothing");
        p.release(s);
        assertEquals(List.of("c3->a"), g.log);
    }

    @Test
    void aStickyClientWaitsForItsOwnServerAndTheOlderHeadOfBothQueuesGoesFirst() {
        BackendPool p = Pools.fromBackend("""
                 stick-table type ip size 10 expire 1m
                 stick on src
                 server a 10.0.0.1:1 maxconn 1
                """, new FakeClock());
        Server held = assigned(p, client(1));
        p.stickStore(client(9), held);
        Grants g = new Grants();
        p.assign(client(2), g.waiter("new"), null);
        p.assign(client(9), g.waiter("sticky"), null);
        assertEquals(1, server(p, "a").queued(), "the sticky client waits in the server's own queue");
        assertEquals(1, p.queuedInBackend());
        p.release(held);
        assertEquals(List.of("new->a"), g.log, "the backend queue's head arrived first");
    }

    @Test
    void maxqueueFullSendsAStickyClientToAnotherServer() {
        BackendPool p = Pools.fromBackend("""
                 stick-table type ip size 10 expire 1m
                 stick on src
                 server a 10.0.0.1:1 maxconn 1 maxqueue 1
                 server b 10.0.0.2:1
                """, new FakeClock());
        Server a = server(p, "a");
        p.stickStore(client(1), a);
        p.stickStore(client(2), a);
        p.stickStore(client(3), a);
        assertEquals(a, assigned(p, client(1)));
        assertInstanceOf(BackendPool.Queued.class, p.assign(client(2), s -> { }, null));
        assertEquals("b", assigned(p, client(3)).name(), "a's queue is full: redispatched");
    }

    @Test
    void waitersOfAServerThatGoesDownAreServedByTheOthers() {
        BackendPool p = Pools.fromBackend("""
                 stick-table type ip size 10 expire 1m
                 stick on src
                 server a 10.0.0.1:1 maxconn 1
                 server b 10.0.0.2:1 maxconn 1
                """, new FakeClock());
        Server a = assigned(p, client(1));
        Server b = assigned(p, client(2));
        p.stickStore(client(5), a);
        Grants g = new Grants();
        p.assign(client(5), g.waiter("sticky-a"), null);
        assertEquals(1, a.queued());
        p.setStatus(a, Server.Status.DOWN);
        assertEquals(0, a.queued());
        assertEquals(1, p.queuedInBackend());
        p.release(b);
        assertEquals(List.of("sticky-a->b"), g.log);
    }

    @Test
    void hashBalancingQueuesOnTheChosenServer() {
        BackendPool p = Pools.fromBackend("""
                 balance source
                 server a 10.0.0.1:1 maxconn 1
                 server b 10.0.0.2:1 maxconn 1
                """, new FakeClock());
        Server s = assigned(p, client(1));
        Grants g = new Grants();
        assertInstanceOf(BackendPool.Queued.class, p.assign(client(1), g.waiter("same"), null));
        assertEquals(1, s.queued());
        p.release(s);
        assertEquals(List.of("same->" + s.name()), g.log);
    }

    @Test
    void serverComingUpServesTheBackendQueue() {
        BackendPool p = Pools.fromBackend("""
                 server a 10.0.0.1:1 maxconn 1
                 server b 10.0.0.2:1 maxconn 1
                """, new FakeClock());
        p.setStatus(server(p, "b"), Server.Status.DOWN);
        assigned(p, client(1));
        Grants g = new Grants();
        p.assign(client(2), g.waiter("c2"), null);
        p.setStatus(server(p, "b"), Server.Status.UP);
        assertEquals(List.of("c2->b"), g.log);
    }
}
