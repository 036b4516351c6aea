package io.rtmprouter.scenario;

import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.proxy.Router;
import io.rtmprouter.testing.LogCapture;
import io.rtmprouter.testing.OriginFarm;
import io.rtmprouter.testing.Programs;
import io.rtmprouter.testing.RtmpClients;
import io.rtmprouter.testing.ScenarioRig;
import io.rtmprouter.testing.TcpTable;
import io.rtmprouter.testing.TestSockets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server maxconn with real nginx-rtmp origins: never more than N per origin, a FIFO queue,
 * `timeout queue`; the players' media goes through the kernel-spliced relay.
 */
class MaxconnQueueScenarioTest {
    /** A PORT the kernel had free (HAProxy's syntax, and ours, has no PORT 0 to bind). */
    private static final int PORT = ScenarioRig.freePort();
    private static final String CONFIG = """
            defaults
              mode tcp
              timeout connect 2s
              timeout client 30s
              timeout server 30s
              timeout queue 3s
              # Real players through the kernel-spliced relay (the other scenarios use the pipeline).
              option splice-request
              option splice-response
            frontend ft
              bind 127.0.0.1:%d
              default_backend bk
            backend bk
              balance roundrobin
              source 0.0.0.0 usesrc clientip
              server media01 127.0.1.1:1935 check maxconn 2
              server media02 127.0.1.2:1935 check maxconn 2
              server media03 127.0.1.3:1935 check maxconn 2
            """.formatted(PORT);

    @RegisterExtension
    static final ScenarioRig rig = ScenarioRig.withOrigins();
    static Router router;

    @BeforeAll
    static void start() {
        router = rig.router(CONFIG);
    }

    /** Our clients come from 127.0.30.0/22 (transparent proxying keeps their address towards origins). */
    private static boolean ours(String ip) {
        return ip.startsWith("127.0.30.") || ip.startsWith("127.0.31.") || ip.startsWith("127.0.32.");
    }

    private static long[] perOrigin() {
        long[] n = new long[3];
        for (int i = 0; i < 3; i++) {
            n[i] = TcpTable.countTo(OriginFarm.ADDRESSES.get(i), 1935, MaxconnQueueScenarioTest::ours);
        }
        return n;
    }

    private static Socket connectFrom(String source) throws IOException {
        return TestSockets.connectFrom(source, PORT);
    }

    private static void awaitTrue(String what, long millis, java.util.function.BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + " not reached within " + millis + " ms");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void noOriginEverHoldsMoreThanMaxconnQueuedClientsAreServedInTurnOrDroppedAtTimeoutQueue() throws Exception {
        BackendPool pool = router.pools().get("bk");
        AtomicLong worst = new AtomicLong();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            // Connections seen in two consecutive passes were all open at once (see TcpTable.to).
            List<java.util.Set<TcpTable.Connection>> previous = null;
            while (sampling.get()) {
                List<java.util.Set<TcpTable.Connection>> current = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    current.add(TcpTable.to(OriginFarm.ADDRESSES.get(i), 1935, MaxconnQueueScenarioTest::ours));
                }
                if (previous != null) {
                    for (int i = 0; i < 3; i++) {
                        java.util.Set<TcpTable.Connection> both = new java.util.HashSet<>(current.get(i));
                        both.retainAll(previous.get(i));
                        worst.accumulateAndGet(both.size(), Math::max);
                    }
                }
                previous = current;
            }
        });
        sampler.start();
        List<Socket> holders = new ArrayList<>();
        try (LogCapture log = new LogCapture("session")) {
            for (int i = 1; i <= 6; i++) {
                holders.add(connectFrom("127.0.30." + i));
            }
            awaitTrue("two connections on each origin", 3000, () -> java.util.Arrays.equals(perOrigin(), new long[] {2, 2, 2}));

            // Three real players arrive while every origin is full: they wait.
            List<CompletableFuture<Programs.Result>> players = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                String from = "127.0.31." + i;
                players.add(CompletableFuture.supplyAsync(() -> RtmpClients.ffprobe("rtmp://127.0.0.1:" + PORT
                        + "/vod/test.flv", from)));
            }
            awaitTrue("three players queued", 3000, () -> pool.queuedInBackend() == 3);
            Thread.sleep(300);
            assertEquals(3, pool.queuedInBackend(), "still waiting: no slot has freed");

            // Two slots free: the queue drains in turn through them, and every player plays.
            holders.remove(0).close();
            holders.remove(0).close();
            for (CompletableFuture<Programs.Result> p : players) {
                Programs.Result r = p.get(20, TimeUnit.SECONDS);
                assertEquals(0, r.exitCode(), r.describe());
                assertTrue(r.stdout().contains("codec_name=h264"), r.describe());
            }
            for (int i = 1; i <= 3; i++) {
                String line = log.await(5000, "client=127.0.31." + i + ":", "event=end");
                assertTrue(line.matches(".* queue_ms=[1-9]\\d* .* splice=true .*"), "player " + i + " waited, then was spliced: " + line);
            }

            // Full again; a client that waits longer than `timeout queue` (3 s) is dropped.
            holders.add(connectFrom("127.0.30.7"));
            holders.add(connectFrom("127.0.30.8"));
            awaitTrue("full again", 3000, () -> java.util.Arrays.equals(perOrigin(), new long[] {2, 2, 2}));
            long started = System.nanoTime();
            try (Socket late = connectFrom("127.0.32.1")) {
                late.setSoTimeout(10_000);
                InputStream in = late.getInputStream();
                assertEquals(-1, in.read(), "the router closes a client whose queue time ran out");
            }
            long waitedMs = (System.nanoTime() - started) / 1_000_000;
            System.out.println("measured: queued client dropped after " + waitedMs + " ms (timeout queue 3s)");
            assertTrue(waitedMs >= 2900 && waitedMs < 4500, "dropped after " + waitedMs + " ms");
            String line = log.await(2000, "client=127.0.32.1:", "event=end");
            assertTrue(line.matches(".* server=- .* queue_ms=3\\d{3} .*term=queue_timeout"), line);
            assertEquals(0, pool.queuedInBackend());
        } finally {
            sampling.set(false);
            sampler.join();
            for (Socket s : holders) {
                s.close();
            }
        }
        System.out.println("measured: most connections any origin held from us at once: " + worst.get() + " (maxconn 2)");
        // The holders kept every origin at exactly 2 for seconds, so the measurement reaches the limit.
        assertEquals(2, worst.get(), "the most connections any origin held from us at any time");
    }
}
