package io.rtmprouter.scenario;

import io.rtmprouter.config.ConfigParser;
import io.rtmprouter.proxy.Router;
import io.rtmprouter.proxy.StartupException;
import io.rtmprouter.proxy.transport.Transport;
import io.rtmprouter.testing.HashingOrigin;
import io.rtmprouter.testing.LogCapture;
import io.rtmprouter.testing.Programs;
import io.rtmprouter.testing.RouterUnderTest;
import io.rtmprouter.testing.ScenarioRig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.rtmprouter.testing.TestSockets.connectFrom;
import static io.rtmprouter.testing.TestSockets.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay with real sockets, through the pipeline and spliced in the kernel: exact bytes,
 * backpressure, half-close, timeouts, retries, maxconn.
 */
class RelayScenarioTest {
    private static final int MB = 1024 * 1024;

    /**
     * `always`: both directions move in the kernel from the start (`option splice-request` and
     * `splice-response`); `auto`: once a direction streams fast (`option splice-auto`); `none`:
     * through the pipeline.
     */
    private static String config(String splicing, int port, String backendLines, String timeouts) {
        return """
                defaults
                  mode tcp
                  %s
                %s
                frontend ft
                  bind 127.0.0.1:%d
                  default_backend bk
                backend bk
                %s
                """.formatted(switch (splicing) {
                    case "always" -> "option splice-request\n  option splice-response";
                    case "auto" -> "option splice-auto";
                    default -> "no option splice-auto";
                }, timeouts, port, backendLines);
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @ParameterizedTest(name = "splice {0}")
    @ValueSource(strings = {"always", "auto", "none"})
    void eightMegabytesEachWayArriveExactlyAndTheHalfCloseIsPassedOn(String splicing) throws Exception {
        int port = ScenarioRig.freePort();
        try (HashingOrigin origin = new HashingOrigin("127.0.2.1", 8L * MB, 0);
             LogCapture log = new LogCapture("session")) {
            Router router = RouterUnderTest.start(config(splicing, port,
                    "  source 0.0.0.0 usesrc clientip\n  server o 127.0.2.1:" + origin.port(),
                    "  timeout client 10s\n  timeout server 10s\n  timeout connect 2s"));
            try (Socket s = connectFrom("127.0.40.1", port)) {
                byte[] upload = new byte[8 * MB];
                new java.util.Random(42).nextBytes(upload);
                OutputStream out = s.getOutputStream();
                out.write(upload);
                s.shutdownOutput();
                byte[] reply = readAll(s.getInputStream());
                assertEquals(8 * MB, reply.length);
                assertArrayEquals(HashingOrigin.pattern(65536), java.util.Arrays.copyOf(reply, 65536));
                assertEquals(List.of(new HashingOrigin.Received("127.0.40.1", 8L * MB, sha256(upload))), origin.received,
                        "the origin got every byte, in order, from the client's own address, then our FIN");
            } finally {
                router.close();
            }
            String line = log.await(3000, "client=127.0.40.1:", "event=end");
            assertTrue(line.contains(" bytes_in=8388608 bytes_out=8388608 "), line);
            assertTrue(line.contains(" splice=" + !splicing.equals("none") + " "), line);
            assertTrue(line.endsWith("term=client_close"), line);
        }
    }

    @ParameterizedTest(name = "splice {0}")
    @ValueSource(strings = {"always", "auto", "none"})
    void everyByteOfAnUploadAndADownloadArrivesAndIsCounted(String splicing) throws Exception {
        int port = ScenarioRig.freePort();
        try (HashingOrigin sink = new HashingOrigin("127.0.2.1", 0, 0);
             HashingOrigin source = new HashingOrigin("127.0.2.2", 8L * MB, 0, true);
             LogCapture log = new LogCapture("session")) {
            Router router = RouterUnderTest.start(config(splicing, port, "  server o 127.0.2.1:" + sink.port(),
                    "  timeout client 10s\n  timeout server 10s"));
            byte[] upload = new byte[8 * MB];
            new java.util.Random(3).nextBytes(upload);
            try (Socket s = connectFrom("127.0.40.10", port)) {
                s.getOutputStream().write(upload);
            } finally {
                Thread.sleep(300);
                router.close();
            }
            assertEquals(List.of(new HashingOrigin.Received("127.0.0.1", 8L * MB, sha256(upload))), sink.received);
            String up = log.await(3000, "client=127.0.40.10:", "event=end");
            assertTrue(up.contains(" bytes_in=8388608 bytes_out=0 ") && up.contains(" splice=" + !splicing.equals("none") + " "), up);

            router = RouterUnderTest.start(config(splicing, port, "  server o 127.0.2.2:" + source.port(),
                    "  timeout client 10s\n  timeout server 10s"));
            try (Socket s = connectFrom("127.0.40.11", port)) {
                byte[] got = readAll(s.getInputStream());
                assertEquals(8 * MB, got.length);
                byte[] expected = new byte[8 * MB];
                byte[] chunk = HashingOrigin.pattern(65536);
                for (int i = 0; i < expected.length; i += chunk.length) {
                    System.arraycopy(chunk, 0, expected, i, chunk.length);
                }
                assertEquals(sha256(expected), sha256(got));
            } finally {
                router.close();
            }
            String down = log.await(3000, "client=127.0.40.11:", "event=end");
            assertTrue(down.contains(" bytes_in=0 bytes_out=8388608 ") && down.contains(" splice=" + !splicing.equals("none") + " ")
                    && down.endsWith("term=server_close"), down);
        }
    }

    @ParameterizedTest(name = "splice {0}")
    @ValueSource(strings = {"always", "auto", "none"})
    void aSlowClientGetsEveryByteOfAnOriginThatSendsAndClosesAtOnce(String splicing) throws Exception {
        int port = ScenarioRig.freePort();
        try (HashingOrigin source = new HashingOrigin("127.0.2.2", 8L * MB, 0, true);
             LogCapture log = new LogCapture("session")) {
            Router router = RouterUnderTest.start(config(splicing, port, "  server o 127.0.2.2:" + source.port(),
                    "  timeout client 30s\n  timeout server 30s"));
            try (Socket s = connectFrom("127.0.40.12", port)) {
                s.setReceiveBufferSize(16 * 1024);
                InputStream in = s.getInputStream();
                byte[] buf = new byte[16 * 1024];
                long total = 0;
                int n;
                while ((n = in.read(buf)) > 0) {
                    total += n;
                    if (total % (256 * 1024) < n) {
                        Thread.sleep(5);
                    }
                }
                assertEquals(8L * MB, total);
            } finally {
                router.close();
            }
            String line = log.await(3000, "client=127.0.40.12:", "event=end");
            assertTrue(line.endsWith("term=server_close"), line);
        }
    }

    @ParameterizedTest(name = "splice {0}")
    @ValueSource(strings = {"always", "auto", "none"})
    void aSlowOriginHoldsTheClientBackWithoutLosingAByte(String splicing) throws Exception {
        int port = ScenarioRig.freePort();
        try (HashingOrigin origin = new HashingOrigin("127.0.2.1", 0, 2)) {
            Router router = RouterUnderTest.start(config(splicing, port, "  server o 127.0.2.1:" + origin.port(),
                    "  timeout client 20s\n  timeout server 20s"));
            try (Socket s = connectFrom("127.0.40.2", port)) {
                byte[] upload = new byte[6 * MB];
                new java.util.Random(7).nextBytes(upload);
                s.getOutputStream().write(upload);
                s.shutdownOutput();
                s.setSoTimeout(20_000);
                assertEquals(-1, s.getInputStream().read(), "the session ends once the upload is delivered");
                long deadline = System.currentTimeMillis() + 10_000;
                while (origin.received.isEmpty() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(List.of(new HashingOrigin.Received("127.0.0.1", 6L * MB, sha256(upload))), origin.received);
            } finally {
                router.close();
            }
        }
    }

    @ParameterizedTest(name = "splice {0}")
    @ValueSource(strings = {"always", "auto", "none"})
    void inactivityTimeoutsCloseTheSessionAndNameTheIdleSide(String splicing) throws Exception {
        int port = ScenarioRig.freePort();
        try (HashingOrigin origin = new HashingOrigin("127.0.2.1", 0, 0);
             LogCapture log = new LogCapture("session")) {
            Router router = RouterUnderTest.start(config(splicing, port, "  server o 127.0.2.1:" + origin.port(),
                    "  timeout client 600ms\n  timeout server 5s"));
            try (Socket s = connectFrom("127.0.40.3", port)) {
                s.setSoTimeout(5000);
                long t0 = System.nanoTime();
                assertEquals(-1, s.getInputStream().read());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms >= 500 && ms < 2500, "closed after " + ms + " ms");
            } finally {
                router.close();
            }
            assertTrue(log.await(3000, "client=127.0.40.3:").endsWith("term=client_timeout"));

            router = RouterUnderTest.start(config(splicing, port, "  server o 127.0.2.1:" + origin.port()
                    + "\n  timeout server 600ms", "  timeout client 5s"));
            try (Socket s = connectFrom("127.0.40.4", port)) {
                s.setSoTimeout(5000);
                assertEquals(-1, s.getInputStream().read());
            } finally {
                router.close();
            }
            assertTrue(log.await(3000, "client=127.0.40.4:").endsWith("term=server_timeout"));
        }
    }

    /** Pipes this process holds (a pipe is two descriptors): the router under test runs in it. */
    private static long pipeDescriptors() throws Exception {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("pipe:");
                } catch (Exception gone) {
                    return false;
                }
            }).count();
        }
    }

    private static void awaitPipeDescriptors(long expected) throws Exception {
        long deadline = System.currentTimeMillis() + 3000;
        while (pipeDescriptors() != expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, pipeDescriptors());
    }

    @Test
    void spliceAutoLeavesSmallWritesInThePipeline() throws Exception {
        int port = ScenarioRig.freePort();
        try (HashingOrigin sink = new HashingOrigin("127.0.2.1", 0, 0);
             LogCapture log = new LogCapture("session")) {
            long before = pipeDescriptors();
            Router router = RouterUnderTest.start(config("auto", port, "  server o 127.0.2.1:" + sink.port(),
                    "  timeout client 10s\n  timeout server 10s"));
            byte[] upload = new byte[300 * 1000];
            new java.util.Random(5).nextBytes(upload);
            try (Socket s = connectFrom("127.0.40.20", port)) {
                s.setTcpNoDelay(true);
                // 1,000 bytes every 4 ms: a fresh router's first session (class loading) may keep
                // it from reading for tens of ms, and at 1 ms a pause of 45 ms already gathers the
                // three full 15 KiB passes that make a fast streamer (seen in runs of this class alone).
                for (int i = 0; i < upload.length; i += 1000) {
                    s.getOutputStream().write(upload, i, 1000);
                    Thread.sleep(4);
                }
                assertEquals(before, pipeDescriptors(), "small passes: no pipe was taken");
                s.shutdownOutput();
                assertEquals(-1, s.getInputStream().read());
            } finally {
                router.close();
            }
            assertEquals(List.of(new HashingOrigin.Received("127.0.0.1", upload.length, sha256(upload))), sink.received);
            String line = log.await(3000, "client=127.0.40.20:", "event=end");
            assertTrue(line.contains(" bytes_in=300000 bytes_out=0 ") && line.contains(" splice=false "), line);
        }
    }

    @Test
    void spliceAutoTakesAPipeOnceADownloadStreamsAndMaxpipesCapsThem() throws Exception {
        int port = ScenarioRig.freePort();
        try (HashingOrigin source = new HashingOrigin("127.0.2.2", 8L * MB, 0, true);
             LogCapture log = new LogCapture("session", "router")) {
            long before = pipeDescriptors();
            Router router = RouterUnderTest.start("global\n  maxpipes 1\n" + config("auto", port,
                    "  server o 127.0.2.2:" + source.port(), "  timeout client 10s\n  timeout server 10s"));
            try (Socket first = connectFrom("127.0.40.21", port)) {
                InputStream in = first.getInputStream();
                byte[] head = in.readNBytes(MB);
                assertEquals(MB, head.length);
                awaitPipeDescriptors(before + 2);
                try (Socket second = connectFrom("127.0.40.22", port)) {
                    assertEquals(8 * MB, readAll(second.getInputStream()).length, "copied, every byte");
                }
                assertEquals(before + 2, pipeDescriptors(), "maxpipes 1: the second download found none");
                assertEquals(7 * MB, readAll(in).length);
            } finally {
                router.close();
            }
            awaitPipeDescriptors(before);
            assertTrue(log.await(3000, "event=started").contains(" maxpipes=1 "), log.lines().toString());
            String first = log.await(3000, "client=127.0.40.21:", "event=end");
            assertTrue(first.contains(" bytes_out=8388608 ") && first.contains(" splice=true "), first);
            String second = log.await(3000, "client=127.0.40.22:", "event=end");
            assertTrue(second.contains(" bytes_out=8388608 ") && second.contains(" splice=false "), second);
        }
    }

    @Test
    void spliceAutoGoesBackToCopyingWhenBurstsTurnIntoATrickleAndLosesNoByte() throws Exception {
        int port = ScenarioRig.freePort();
        // Like a live stream: a keyframe burst, small frames, another burst; every switch between
        // splicing and copying must keep every byte in order.
        java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
        java.util.Random random = new java.util.Random(11);
        try (java.net.ServerSocket origin = new java.net.ServerSocket();
             LogCapture log = new LogCapture("session")) {
            origin.bind(new java.net.InetSocketAddress("127.0.2.3", 0));
            Thread server = new Thread(() -> {
                try (Socket s = origin.accept(); OutputStream out = s.getOutputStream()) {
                    for (int burst = 0; burst < 3; burst++) {
                        byte[] big = new byte[2 * MB];
                        random.nextBytes(big);
                        out.write(big);
                        sent.write(big);
                        // More than a splice chunk in small writes, so the chunk ends during them.
                        for (int i = 0; i < 1200; i++) {
                            byte[] small = new byte[500];
                            random.nextBytes(small);
                            out.write(small);
                            sent.write(small);
                            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            server.start();
            Router router = RouterUnderTest.start(config("auto", port, "  server o 127.0.2.3:" + origin.getLocalPort(),
                    "  timeout client 10s\n  timeout server 10s"));
            try (Socket s = connectFrom("127.0.40.23", port)) {
                byte[] got = readAll(s.getInputStream());
                server.join();
                assertEquals(sent.size(), got.length);
                assertEquals(sha256(sent.toByteArray()), sha256(got));
            } finally {
                router.close();
            }
            String line = log.await(3000, "client=127.0.40.23:", "event=end");
            assertTrue(line.contains(" bytes_out=" + sent.size() + " ") && line.contains(" splice=true "), line);
        }
    }

    @Test
    void aRefusedConnectionIsRetriedThenRedispatchedBeforeTheClientNotices() throws Exception {
        int port = ScenarioRig.freePort();
        try (HashingOrigin origin = new HashingOrigin("127.0.2.1", 5, 0);
             LogCapture log = new LogCapture("session")) {
            // Port 9 on 127.0.2.9: nothing listens, the kernel refuses at once. No checks: it stays UP.
            Router router = RouterUnderTest.start(config("none", port, """
                      retries 2
                      option redispatch
                      server dead 127.0.2.9:9
                      server alive 127.0.2.1:%d
                    """.formatted(origin.port()), "  timeout connect 1s\n  timeout client 5s\n  timeout server 5s"));
            try (Socket s = connectFrom("127.0.40.5", port)) {
                s.getOutputStream().write("hello".getBytes());
                s.shutdownOutput();
                assertEquals(5, readAll(s.getInputStream()).length, "served by the live server");
            } finally {
                router.close();
            }
            assertEquals(5, origin.received.get(0).bytes(), "the bytes sent while retrying were kept");
            String line = log.await(3000, "client=127.0.40.5:");
            assertTrue(line.contains(" server=alive ") && line.contains(" retries=2 redispatched=true "), line);
        }
    }

    @Test
    void withoutRedispatchTheClientIsClosedAfterItsRetries() throws Exception {
        int port = ScenarioRig.freePort();
        try (LogCapture log = new LogCapture("session")) {
            Router router = RouterUnderTest.start(config("none", port, "  retries 1\n  server dead 127.0.2.9:9\n",
                    "  timeout connect 300ms\n  timeout client 5s\n  timeout server 5s"));
            try (Socket s = connectFrom("127.0.40.6", port)) {
                s.setSoTimeout(5000);
                long t0 = System.nanoTime();
                assertEquals(-1, s.getInputStream().read());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms >= 250, "one retry after HAProxy's turn-around of min(1s, timeout connect): " + ms + " ms");
            } finally {
                router.close();
            }
            String line = log.await(3000, "client=127.0.40.6:");
            assertTrue(line.contains(" server=dead ") && line.contains(" retries=1 ") && line.contains("term=connect_error"),
                    line);
        }
    }

    @Test
    void frontendMaxconnLeavesExtraClientsInTheBacklogUntilASlotFrees() throws Exception {
        int port = ScenarioRig.freePort();
        try (HashingOrigin origin = new HashingOrigin("127.0.2.1", 3, 0)) {
            Router router = RouterUnderTest.start(config("none", port,
                    "  source 0.0.0.0 usesrc clientip\n  server o 127.0.2.1:" + origin.port(),
                    "  timeout client 10s\n  timeout server 10s").replace("  default_backend bk",
                    "  maxconn 2\n  default_backend bk"));
            try (Socket a = connectFrom("127.0.40.7", port); Socket b = connectFrom("127.0.40.8", port);
                 Socket c = connectFrom("127.0.40.9", port)) {
                // c's TCP handshake was completed by the kernel, but the router has not accepted it.
                Thread.sleep(500);
                assertEquals(2, origin.open.size(), "only two clients reach the origin");
                c.getOutputStream().write("abc".getBytes());
                c.shutdownOutput();
                a.close();
                c.setSoTimeout(5000);
                assertEquals(3, readAll(c.getInputStream()).length, "c is served once a's slot is free");
                assertTrue(origin.received.stream().anyMatch(r -> r.from().equals("127.0.40.9") && r.bytes() == 3),
                        origin.received.toString());
            } finally {
                router.close();
            }
        }
    }

    @Test
    void anIpv6ListenerRelaysToAnIpv4ServerAndLogsTheAddressInBrackets() throws Exception {
        int port = ScenarioRig.freePort();
        try (HashingOrigin origin = new HashingOrigin("127.0.2.1", 2, 0);
             LogCapture log = new LogCapture("session")) {
            Router router = RouterUnderTest.start(config("none", port, "  server o 127.0.2.1:" + origin.port(),
                    "  timeout client 5s\n  timeout server 5s").replace("bind 127.0.0.1:" + port, "bind [::1]:" + port));
            try (Socket s = new Socket()) {
                s.connect(new java.net.InetSocketAddress("::1", port), 2000);
                s.getOutputStream().write("v6".getBytes());
                s.shutdownOutput();
                assertEquals(2, readAll(s.getInputStream()).length);
            } finally {
                router.close();
            }
            assertEquals(2, origin.received.get(0).bytes());
            assertTrue(log.await(3000, "event=end").contains(" client=[::1]:"), log.lines().toString());
        }
    }

    @Test
    void transparentProxyingIsRefusedAtStartWithoutEpoll() throws Exception {
        int port = ScenarioRig.freePort();
        var config = ConfigParser.parse("t.cfg", config("none", port,
                "  source 0.0.0.0 usesrc clientip\n  server o 127.0.2.1:1", ""));
        StartupException e = assertThrows(StartupException.class, () -> Router.start(config, new Transport("nio",
                io.netty.channel.nio.NioIoHandler.newFactory(), io.netty.channel.socket.nio.NioServerSocketChannel.class,
                io.netty.channel.socket.nio.NioSocketChannel.class)));
        assertTrue(e.getMessage().startsWith("t.cfg:9: backend 'bk': 'source ... usesrc clientip' needs Linux and the"
                + " native epoll transport, but this process uses nio"), e.getMessage());
    }

    @Test
    void transparentProxyingIsRefusedAtStartWithoutCapNetAdmin(@TempDir Path dir) throws Exception {
        int port = ScenarioRig.freePort();
        Path cfg = dir.resolve("t.cfg");
        Files.writeString(cfg, config("none", port, "  source 0.0.0.0 usesrc clientip\n  server o 127.0.2.1:1", ""));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Programs.Result r = Programs.run(List.of("setpriv", "--bounding-set=-net_admin,-net_raw", "--inh-caps=-net_admin,-net_raw", java,
                "-cp", System.getProperty("java.class.path"), "io.rtmprouter.cli.Main", "-f", cfg.toString()),
                Map.of(), Duration.ofSeconds(30));
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stderr().contains("[ALERT] " + cfg + ":9: backend 'bk': 'source ... usesrc clientip' needs the"
                + " CAP_NET_ADMIN (or CAP_NET_RAW) capability"), r.describe());
    }
}
