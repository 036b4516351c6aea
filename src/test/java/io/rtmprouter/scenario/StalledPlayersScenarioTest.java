package io.rtmprouter.scenario;

import io.netty.util.internal.PlatformDependent;
import io.rtmprouter.proxy.Router;
import io.rtmprouter.testing.OriginFarm;
import io.rtmprouter.testing.RtmpClients;
import io.rtmprouter.testing.RtmptPlayer;
import io.rtmprouter.testing.ScenarioRig;
import io.rtmprouter.testing.StallingRtmpsPlayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Players that stop reading a live stream, RTMPS players that stop reading their socket and RTMPT
 * players that stop polling, on samples/rtmp-router.cfg with real nginx-rtmp origins and a real
 * ffmpeg encoder: what the router holds for each of them must stay within the documented
 * per-session bound, by its own accounting and by the JVM's direct-memory counters.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StalledPlayersScenarioTest {
    private static final int PLAYERS = 20;
    /**
     * docs/operations.md: a session whose client stops polling holds at most 256 KiB waiting for
     * the poll in 16 KiB blocks (two of them partly used), the 64 KiB write mark and one read over it.
     */
    private static final long STALLED_BOUND = (256 + 32 + 64 + 64) * 1024;
    /**
     * docs/operations.md: a socket client that stops reading costs the 64 KiB write mark, one read
     * from the server over it, and that read's TLS records.
     */
    private static final long TLS_STALLED_BOUND = (64 + 64 + 16) * 1024;

    @RegisterExtension
    static final ScenarioRig rig = ScenarioRig.withOrigins("session");
    static Router router;
    static Process encoder;

    @BeforeAll
    static void start() throws InterruptedException {
        // Without it Linux grows each client socket's send buffer to 4 MiB, which a stalled
        // player at this stream's rate takes minutes to fill before the router holds anything.
        router = rig.sample("global\n tune.sndbuf.client 16384\n");
        encoder = rig.program(RtmpClients.publish("rtmp://127.0.0.1:1935/live/stall", "127.0.80.1", rig.dir().resolve("encoder.log")));
        // media03, the upload server, pushes what it gets to the /relay application of all three.
        OriginFarm.awaitPublishing(2, "stall");
        Thread.sleep(1000);
    }

    private static long direct() {
        long pooled = 0;
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                pooled = b.getMemoryUsed();
            }
        }
        return Math.max(pooled, 0) + Math.max(PlatformDependent.usedDirectMemory(), 0);
    }

    /** First: RTMPT sessions whose sockets were closed live on until they expire, and would be counted. */
    @Test
    @Order(1)
    void rtmpsPlayersThatStopReadingALiveStreamHoldNoMoreThanTheBound() throws Exception {
        List<StallingRtmpsPlayer> players = new ArrayList<>();
        try {
            for (int i = 0; i < PLAYERS; i++) {
                players.add(StallingRtmpsPlayer.playThenStall("127.0.80." + (40 + i), 443, "relay", "stall", 20_000));
            }
            assertHeldWithin(router::heldMemory, 64L * 1024, TLS_STALLED_BOUND, "stalled RTMPS players");
        } finally {
            for (StallingRtmpsPlayer p : players) {
                p.close();
            }
        }
    }

    @Test
    @Order(2)
    void playersThatStopPollingALiveStreamHoldNoMoreThanTheBound() throws Exception {
        List<RtmptPlayer> players = new ArrayList<>();
        try {
            for (int i = 0; i < PLAYERS; i++) {
                players.add(RtmptPlayer.play("127.0.80." + (10 + i), 80, "relay", "stall"));
            }
            for (long end = System.currentTimeMillis() + 3000; System.currentTimeMillis() < end; ) {
                for (RtmptPlayer p : players) {
                    p.poll();
                }
            }
            for (RtmptPlayer p : players) {
                assertTrue(p.received() > 20_000, "each player got media first: " + p.received());
            }
            // Now nobody polls; the encoder goes on, and each session fills up to its bound.
            assertHeldWithin(router::rtmptHeldMemory, 256L * 1024, STALLED_BOUND, "stalled RTMPT players");

            // The bound only paces them: polling again, each gets the stream. Their idle connections
            // were closed at timeout http-keep-alive (the inspect delay here); the sessions live on.
            for (RtmptPlayer p : players) {
                p.reconnect();
                long had = p.received();
                while (p.received() - had < 256 * 1024) {
                    p.poll();
                }
            }
        } finally {
            for (RtmptPlayer p : players) {
                p.close();
            }
        }
    }

    /**
     * Once the router's count has settled, it is between `floor` and `bound` per player, and
     * neither it nor the JVM's direct memory grows over the next 6 s: at this stream's rate the
     * 20 players would get ~5 MB more in that time if anything were unbounded.
     */
    private static void assertHeldWithin(LongSupplier count, long floor, long bound, String who) throws InterruptedException {
        long held = awaitSteadyAccounting(count);
        assertTrue(held >= PLAYERS * floor && held <= PLAYERS * bound,
                "router's accounting: " + held / 1024 + " KiB for " + PLAYERS + " " + who);
        long steady = direct();
        Thread.sleep(6000);
        long grown = direct() - steady;
        assertTrue(grown < 2L * 1024 * 1024, "direct memory grew " + grown / 1024 + " KiB in 6 s past the bound");
        assertTrue(count.getAsLong() <= PLAYERS * bound, count.getAsLong() / 1024 + " KiB");
        System.out.printf("%s: %d KiB each by the router's accounting%n", who, held / PLAYERS / 1024);
    }

    /** The router's count once it has not moved for three seconds (the sessions are full). */
    private static long awaitSteadyAccounting(LongSupplier count) throws InterruptedException {
        long last = -1;
        int still = 0;
        for (long end = System.currentTimeMillis() + 40_000; System.currentTimeMillis() < end && still < 3; ) {
            Thread.sleep(1000);
            long now = count.getAsLong();
            still = now == last ? still + 1 : 0;
            last = now;
        }
        assertTrue(still >= 3, "the router's accounting never settled: " + last);
        return last;
    }
}
