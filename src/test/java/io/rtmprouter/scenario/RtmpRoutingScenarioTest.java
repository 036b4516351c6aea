package io.rtmprouter.scenario;

import io.rtmprouter.proxy.Router;
import io.rtmprouter.testing.Programs;
import io.rtmprouter.testing.RtmpClients;
import io.rtmprouter.testing.ScenarioRig;
import io.rtmprouter.testing.TestSockets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routing rules, refusals and server handshake failures with real sockets, real nginx-rtmp
 * origins and real ffprobe / rtmpdump clients; the flaky backend splices from the start (`option splice-request`, `splice-response`).
 */
class RtmpRoutingScenarioTest {
    /** A PORT the kernel had free (HAProxy's syntax, and ours, has no PORT 0 to bind). */
    private static final int PORT = ScenarioRig.freePort();
    private static final int BROKEN_PORT = ScenarioRig.freePort();
    private static final String CONFIG = ScenarioRig.RTMP_DEFAULTS + """
            frontend f
             bind 127.0.0.1:%d
             tcp-request inspect-delay 1500ms
             tcp-request content reject if { rtmp.proto rtmpe }
             acl vod rtmp.app vod
             use_backend flaky if vod
             default_backend live
            backend flaky
             retries 1
             option redispatch
             option splice-request
             option splice-response
             source 0.0.0.0 usesrc clientip
             server broken 127.0.2.1:%d
             server media01 127.0.1.1:1935
            backend live
             option splice-auto
             server media02 127.0.1.2:1935
            """.formatted(PORT, BROKEN_PORT);

    @RegisterExtension
    static final ScenarioRig rig = ScenarioRig.withOrigins("session");
    static Router router;
    /** Accepts, reads the router's C0+C1, and hangs up: a server whose RTMP side is broken. */
    static ServerSocket broken;
    static final AtomicInteger brokenHandshakes = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        broken = rig.closedAfter(new ServerSocket());
        broken.bind(new InetSocketAddress(InetAddress.getByName("127.0.2.1"), BROKEN_PORT));
        Thread t = new Thread(() -> {
            while (!broken.isClosed()) {
                try (Socket s = broken.accept()) {
                    byte[] c0c1 = s.getInputStream().readNBytes(1537);
                    if (c0c1.length == 1537 && c0c1[0] == 3) {
                        brokenHandshakes.incrementAndGet();
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            }
        }, "broken-origin");
        t.setDaemon(true);
        t.start();
        router = rig.router(CONFIG);
    }

    private static String endLine(String client) {
        return rig.log().await(10_000, "event=end", "client=" + client + ":");
    }

    @Test
    void aServerThatFailsTheHandshakeIsRetriedElsewhereAndThePlayerNeverNotices() {
        Programs.Result r = RtmpClients.ffprobe("rtmp://127.0.0.1:" + PORT + "/vod/test.flv", "127.0.64.1");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("codec_name=h264") && r.stdout().contains("codec_name=aac"), r.describe());
        assertEquals(1, brokenHandshakes.get(), "the broken server got our C0+C1 once, then the retry went elsewhere");
        String routed = rig.log().await(5000, "event=routed", "client=127.0.64.1:");
        assertTrue(routed.contains(" backend=flaky server=media01 proto=rtmp role=player app=vod ")
                && routed.endsWith(" retries=1"), routed);
        String end = endLine("127.0.64.1");
        assertTrue(end.contains(" retries=1 redispatched=true splice=true "), end);
        assertEquals("media01", rig.origins().awaitOriginOf("127.0.64.1"));
        assertEquals(1, rig.origins().originsThatSaw("127.0.64.1").size(), "only one origin ever saw the client");
    }

    @Test
    void rtmpeIsRejectedByTheContentRuleAndLoggedAsSuch() {
        Programs.Result r = Programs.run(java.util.List.of("rtmpdump", "-q", "-m", "3", "-r",
                "rtmpe://127.0.0.1:" + PORT + "/live/x", "-o", rig.dir().resolve("e.flv").toString()),
                java.util.Map.of("LD_PRELOAD", io.rtmprouter.testing.TestMedia.bindShim().toString(),
                        "BIND_ADDR", "127.0.64.2"), java.time.Duration.ofSeconds(20));
        assertTrue(r.exitCode() != 0, "rtmpdump cannot play what was refused");
        String end = endLine("127.0.64.2");
        assertTrue(end.contains(" backend=- server=- proto=rtmpe role=unknown app=- "), end);
        assertTrue(end.endsWith("term=rejected detail=\"tcp-request content reject at scenario.cfg:9\""), end);
    }

    @Test
    void malformedAndSilentClientsAreClosedWithTheirReasonWhileAPlayerBesideThemPlays() throws Exception {
        CompletableFuture<Programs.Result> player = CompletableFuture.supplyAsync(
                () -> RtmpClients.ffprobe("rtmp://127.0.0.1:" + PORT + "/vod/test.flv", "127.0.64.10"));
        try (Socket http = TestSockets.connectFrom("127.0.64.3", PORT);
             Socket garbage = TestSockets.connectFrom("127.0.64.4", PORT);
             Socket silent = TestSockets.connectFrom("127.0.64.5", PORT)) {
            http.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(http.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 405 Method Not Allowed\r\n") && answer.contains("\r\nAllow: POST\r\n"),
                    "HTTP is RTMPT's: a GET is answered, then the connection closes as asked:\n" + answer);

            OutputStream out = garbage.getOutputStream();
            InputStream in = garbage.getInputStream();
            byte[] c0c1 = new byte[1537];
            c0c1[0] = 3;
            out.write(c0c1);
            assertEquals(3073, in.readNBytes(3073).length, "S0+S1+S2");
            byte[] garbageAfterC2 = new byte[1536 + 64];
            Arrays.fill(garbageAfterC2, 1536, garbageAfterC2.length, (byte) 0x47);
            out.write(garbageAfterC2);
            assertEquals(-1, in.read());

            long before = System.nanoTime();
            assertEquals(-1, silent.getInputStream().read(), "closed by inspect-delay");
            long waited = (System.nanoTime() - before) / 1_000_000;
            assertTrue(waited >= 1000 && waited < 5000, "closed after " + waited + " ms");
        }
        assertTrue(endLine("127.0.64.3").contains(" proto=rtmpt ") && endLine("127.0.64.3").endsWith(
                "term=bad_request detail=\"RTMPT: 405 RTMPT takes POST requests only, not GET\""), endLine("127.0.64.3"));
        assertTrue(endLine("127.0.64.4").contains(" proto=rtmp ") && endLine("127.0.64.4").contains("term=bad_request"),
                endLine("127.0.64.4"));
        assertTrue(endLine("127.0.64.5").endsWith("term=inspect_timeout detail=\"still waiting for the first bytes after 1500ms\""),
                endLine("127.0.64.5"));
        Programs.Result r = player.get();
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("codec_name=h264"), r.describe());
    }
}
