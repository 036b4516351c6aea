package io.rtmprouter.balance;

import io.rtmprouter.stick.FakeClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.rtmprouter.balance.Pools.assigned;
import static io.rtmprouter.balance.Pools.client;
import static io.rtmprouter.balance.Pools.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BalancingTest {
    private static final String REFERENCE = """
             balance roundrobin
             server media01 10.0.0.1:1935 weight 10
             server media02 10.0.0.2:1935 weight 10
             server media03 10.0.0.3:1935 weight 8
            """;

    private static Map<String, Integer> count(List<Server> picks) {
        Map<String, Integer> m = new LinkedHashMap<>();
        picks.forEach(s -> m.merge(s.name(), 1, Integer::sum));
        return m;
    }

    @Test
    void roundRobinGivesExactlyTheWeightsOfEvery28ClientsInterleaved() {
        BackendPool p = Pools.fromBackend(REFERENCE, new FakeClock());
        List<Server> picks = new ArrayList<>();
        for (int i = 0; i < 56; i++) {
            picks.add(assigned(p, client(i)));
        }
        assertEquals(Map.of("media01", 10, "media02", 10, "media03", 8), count(picks.subList(0, 28)));
        assertEquals(Map.of("media01", 10, "media02", 10, "media03", 8), count(picks.subList(28, 56)));
        // Never a burst: no server is picked more than twice in a row.
        int run = 1;
        for (int i = 1; i < picks.size(); i++) {
            run = picks.get(i) == picks.get(i - 1) ? run + 1 : 1;
            assertTrue(run <= 2, "burst at pick " + i + ": " + picks);
        }
        assertEquals(List.of("media01", "media02", "media03", "media01", "media02", "media03"),
                picks.subList(0, 6).stream().map(Server::name).toList());
    }

    @Test
    void equalWeightsAlternateLikeHaproxysRegressionTest() {
        BackendPool p = Pools.fromBackend("""
                 server s1 10.0.0.1:1
                 server s2 10.0.0.2:1
                 server s3 10.0.0.3:1
                 server s4 10.0.0.4:1
                """, new FakeClock());
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            order.add(assigned(p, client(i)).name());
        }
        assertEquals(List.of("s1", "s2", "s3", "s4", "s1"), order);
    }

    @Test
    void weightZeroTakesNoBalancedClientsAndAFullServerIsSkipped() {
        BackendPool p = Pools.fromBackend("""
                 server a 10.0.0.1:1 maxconn 1
                 server b 10.0.0.2:1
                 server c 10.0.0.3:1 weight 0
                """, new FakeClock());
        Server first = assigned(p, client(1));
        assertEquals("a", first.name());
        for (int i = 2; i < 6; i++) {
            assertEquals("b", assigned(p, client(i)).name(), "a is full and c has weight 0");
        }
        p.release(first);
        List<String> next = List.of(assigned(p, client(9)).name(), assigned(p, client(10)).name());
        assertTrue(next.contains("a"), "a takes clients again once it has a free slot: " + next);
    }

    @Test
    void backupServersServeOnlyWhenNoNormalServerIsUp() {
        BackendPool p = Pools.fromBackend("""
                 server a 10.0.0.1:1
                 server bk1 10.0.0.2:1 backup
                 server bk2 10.0.0.3:1 backup
                """, new FakeClock());
        assertEquals("a", assigned(p, client(1)).name());
        p.setStatus(server(p, "a"), Server.Status.DOWN);
        // Only the first backup, unless `option allbackups`.
        for (int i = 0; i < 4; i++) {
            assertEquals("bk1", assigned(p, client(i)).name());
        }
        p.setStatus(server(p, "a"), Server.Status.UP);
        assertEquals("a", assigned(p, client(5)).name());

        BackendPool all = Pools.fromBackend("""
                 option allbackups
                 server a 10.0.0.1:1 disabled
                 server bk1 10.0.0.2:1 backup
                 server bk2 10.0.0.3:1 backup
                """, new FakeClock());
        assertEquals(List.of("bk1", "bk2", "bk1"),
                List.of(assigned(all, client(1)).name(), assigned(all, client(2)).name(), assigned(all, client(3)).name()));
    }

    @Test
    void aServerThatJustFailedIsAvoidedWhenAnotherCanServeAndTriedAgainWhenItIsTheOnlyOne() {
        BackendPool two = Pools.fromBackend(" server a 10.0.0.1:1\n server b 10.0.0.2:1\n", new FakeClock());
        for (int i = 0; i < 4; i++) {
            BackendPool.Assignment a = two.assign(client(i), s -> { }, server(two, "a"));
            assertEquals(server(two, "b"), ((BackendPool.Assigned) a).server(), "HAProxy's srvtoavoid");
        }
        BackendPool one = Pools.fromBackend(" server a 10.0.0.1:1\n", new FakeClock());
        BackendPool.Assignment again = one.assign(client(1), s -> { }, server(one, "a"));
        assertEquals(server(one, "a"), ((BackendPool.Assigned) again).server(), "no other server: the same one again");
    }

    @Test
    void noServerUpIsARejection() {
        BackendPool p = Pools.fromBackend(" server a 10.0.0.1:1\n", new FakeClock());
        p.setStatus(server(p, "a"), Server.Status.DOWN);
        BackendPool.Assignment a = p.assign(client(1), s -> { }, null);
        assertEquals(new BackendPool.Rejected("no server available"), a);
    }

    @Test
    void leastconnPicksTheLeastLoadedPerWeightAndRotatesAmongEquals() {
        BackendPool p = Pools.fromBackend("""
                 balance leastconn
                 server a 10.0.0.1:1
                 server b 10.0.0.2:1
                 server c 10.0.0.3:1 weight 2
                """, new FakeClock());
        List<String> order = new ArrayList<>();
        List<Server> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Server s = assigned(p, client(i));
            held.add(s);
            order.add(s.name());
        }
        // Loads per weight: a 0, b 0, c 0 -> a; then b; then c (0/2); then c again (1/2 < 1/1).
        assertEquals(List.of("a", "b", "c", "c"), order);
        p.release(held.get(0));
        assertEquals("a", assigned(p, client(9)).name(), "a is the least loaded again");
    }

    @Test
    void sourceHashingSendsAnAddressToTheSameServerEveryTime() {
        BackendPool p = Pools.fromBackend("""
                 balance source
                 server a 10.0.0.1:1
                 server b 10.0.0.2:1
                 server c 10.0.0.3:1
                """, new FakeClock());
        Map<String, Integer> spread = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            Server s = assigned(p, client(i));
            assertEquals(s, assigned(p, client(i)));
            spread.merge(s.name(), 1, Integer::sum);
        }
        spread.values().forEach(n -> assertTrue(n > 800 && n < 1200, "uneven spread " + spread));
    }

    @Test
    void consistentHashingMovesOnlyTheClientsOfTheServerThatLeft() {
        String servers = """
                 balance source
                 hash-type %s
                 server a 10.0.0.1:1
                 server b 10.0.0.2:1
                 server c 10.0.0.3:1
                 server d 10.0.0.4:1
                """;
        int movedConsistent = moved(Pools.fromBackend(servers.formatted("consistent"), new FakeClock()));
        int movedMap = moved(Pools.fromBackend(servers.formatted("map-based"), new FakeClock()));
        // Consistent hashing moves the clients of d and no other (checked client by client in moved()).
        assertTrue(movedConsistent > 200 && movedConsistent < 2000, "consistent moved " + movedConsistent);
        assertTrue(movedMap > 2000, "map-based moves most clients: " + movedMap);
    }

    private static int moved(BackendPool p) {
        Map<Integer, Server> before = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            before.put(i, assigned(p, client(i)));
        }
        p.setStatus(server(p, "d"), Server.Status.DOWN);
        int moved = 0;
        for (int i = 0; i < 4000; i++) {
            Server now = assigned(p, client(i));
            assertNotEquals("d", now.name());
            if (now != before.get(i)) {
                moved++;
                if (!before.get(i).name().equals("d")) {
                    // Only map-based may move clients of surviving servers.
                    assertEquals("map-based", p.config().hashType() == io.rtmprouter.config.HashType.MAP_BASED
                            ? "map-based" : "consistent moved client " + i + " off " + before.get(i));
                }
            }
        }
        p.setStatus(server(p, "d"), Server.Status.UP);
        for (int i = 0; i < 4000 && p.config().hashType() == io.rtmprouter.config.HashType.CONSISTENT; i++) {
            assertEquals(before.get(i), assigned(p, client(i)), "back in place when d returns");
        }
        return moved;
    }

    @Test
    void firstFillsEachServerToItsMaxconnInOrderWhateverTheWeights() {
        BackendPool p = Pools.fromBackend("""
                 balance first
                 server s1 10.0.0.1:1 maxconn 2 weight 1
                 server s2 10.0.0.2:1 maxconn 2 weight 100
                 server s3 10.0.0.3:1 maxconn 2
                """, new FakeClock());
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            order.add(assigned(p, client(i)).name());
        }
        assertEquals(List.of("s1", "s1", "s2", "s2", "s3"), order);
        p.release(server(p, "s1"));
        assertEquals("s1", assigned(p, client(9)).name(), "a freed slot on the first server is taken first");
    }
}
