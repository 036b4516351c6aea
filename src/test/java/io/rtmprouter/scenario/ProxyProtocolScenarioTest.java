package io.rtmprouter.scenario;

import io.rtmprouter.testing.OriginFarm;
import io.rtmprouter.testing.RtmpClients;
import io.rtmprouter.testing.ScenarioRig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real client's address across a chain of proxies: ffmpeg publishes from 127.0.0.77 to
 * Debian's HAProxy, which says who it is with `send-proxy-v2` to rtmp-router (`accept-proxy`,
 * mode rtmp), which says it again with `send-proxy` (v1) to nginx-rtmp listening with
 * `proxy_protocol`. nginx's /stat page and access log, and the router's log, name 127.0.0.77,
 * never the proxies' 127.0.0.1.
 */
class ProxyProtocolScenarioTest {
    @RegisterExtension
    static final ScenarioRig rig = ScenarioRig.withOrigins("session");

    @Test
    void nginxSeesThePublisherItselfThroughHaproxyAndTheRouter() throws Exception {
        int routerPort = ScenarioRig.freePort();
        int haproxyPort = ScenarioRig.freePort();
        rig.router("""
                defaults
                 timeout connect 2s
                 timeout client 10s
                 timeout server 10s
                frontend edge
                 mode rtmp
                 bind 127.0.0.1:%d accept-proxy
                 tcp-request connection reject unless { src 127.0.0.1 }
                 default_backend media
                backend media
                 mode rtmp
                 server media01 127.0.1.1:1936 send-proxy
                """.formatted(routerPort));
        rig.haproxy("chain", ScenarioRig.LOGGED_TCP_DEFAULTS + """
                listen front
                 bind 127.0.0.1:%d
                 server router 127.0.0.1:%d send-proxy-v2
                """.formatted(haproxyPort, routerPort));
        ScenarioRig.awaitListening(haproxyPort);

        Process encoder = rig.program(RtmpClients.publish("rtmp://127.0.0.1:" + haproxyPort + "/live/chained",
                "127.0.0.77", rig.dir().resolve("ffmpeg-chained.log")));
        OriginFarm.awaitPublishing(0, "chained");
        String stat = OriginFarm.stat(0);
        assertTrue(stat.contains("<address>127.0.0.77</address>"), stat);
        assertFalse(stat.replaceAll("(?s).*<name>live</name>(.*?)</application>.*", "$1")
                .contains("<address>127.0.0.1</address>"), "no client of /live is a proxy: " + stat);
        String routed = rig.log().await(10_000, "event=routed", "frontend=edge ");
        assertTrue(routed.contains(" client=127.0.0.77:"), routed);
        encoder.destroy();
        assertEquals("media01", rig.origins().awaitOriginOf("127.0.0.77"), "nginx's access log names the publisher");
        // Its pushes to the other origins' /relay leave from 127.0.0.1 too: only /live is the publisher's.
        assertTrue(rig.origins().accessLog(0).stream().noneMatch(l -> l.startsWith("127.0.0.1 ") && l.contains(" \"live\" ")),
                "and /live never logs a proxy: " + rig.origins().accessLog(0));
        String end = rig.log().await(10_000, "event=end", "frontend=edge ");
        assertTrue(end.contains(" client=127.0.0.77:"), end);
    }

    /** The first bytes of the first connection a check makes to a local port. */
    private static java.util.concurrent.CompletableFuture<String> firstBytesAt(java.net.ServerSocket listener) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (listener; java.net.Socket s = listener.accept()) {
                s.setSoTimeout(1000);
                byte[] buf = new byte[64];
                int n = 0;
                try {
                    for (int r; n < buf.length && (r = s.getInputStream().read(buf, n, buf.length - n)) > 0; ) {
                        n += r;
                    }
                } catch (java.io.IOException endOfCheck) {
                    // a check that sent its header and waits (timeout), or closed with a reset as HAProxy's do
                }
                return java.util.HexFormat.of().formatHex(buf, 0, n);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static java.net.ServerSocket listener() throws java.io.IOException {
        return new java.net.ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"));
    }

    private static String checking(int port, java.net.ServerSocket v1, java.net.ServerSocket v2) {
        return ScenarioRig.LOGGED_TCP_DEFAULTS + """
                listen checked
                 bind 127.0.0.1:%d
                 server plain 127.0.0.1:%d check inter 300 check-send-proxy
                 server binary 127.0.0.1:%d check inter 300 send-proxy-v2
                """.formatted(port, v1.getLocalPort(), v2.getLocalPort());
    }

    @Test
    void healthChecksStartWithTheHeaderHaproxysDo() throws Exception {
        java.net.ServerSocket ourV1 = listener();
        java.net.ServerSocket ourV2 = listener();
        java.net.ServerSocket theirV1 = listener();
        java.net.ServerSocket theirV2 = listener();
        var ours1 = firstBytesAt(ourV1);
        var ours2 = firstBytesAt(ourV2);
        var theirs1 = firstBytesAt(theirV1);
        var theirs2 = firstBytesAt(theirV2);
        rig.router(checking(ScenarioRig.freePort(), ourV1, ourV2));
        rig.haproxy("checks", checking(ScenarioRig.freePort(), theirV1, theirV2));

        // v1 names the check connection's own ends (its source port differs from run to run).
        String v1 = new String(java.util.HexFormat.of().parseHex(theirs1.get(10, java.util.concurrent.TimeUnit.SECONDS)),
                java.nio.charset.StandardCharsets.US_ASCII);
        String ourV1Line = new String(java.util.HexFormat.of().parseHex(ours1.get(10, java.util.concurrent.TimeUnit.SECONDS)),
                java.nio.charset.StandardCharsets.US_ASCII);
        String form = "PROXY TCP4 127.0.0.1 127.0.0.1 \\d+ " + theirV1.getLocalPort() + "\r\n";
        assertTrue(v1.matches(form), "HAProxy: " + v1);
        assertTrue(ourV1Line.matches(form.replace(Integer.toString(theirV1.getLocalPort()),
                Integer.toString(ourV1.getLocalPort()))), "check-send-proxy: " + ourV1Line);
        String v2 = theirs2.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("0d0a0d0a000d0a515549540a" + "20000000", v2, "HAProxy: v2 LOCAL");
        assertEquals(v2, ours2.get(10, java.util.concurrent.TimeUnit.SECONDS), "send-proxy-v2 checks");
    }
}
