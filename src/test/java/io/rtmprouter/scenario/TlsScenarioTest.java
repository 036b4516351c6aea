package io.rtmprouter.scenario;

import io.rtmprouter.proxy.Router;
import io.rtmprouter.testing.OriginFarm;
import io.rtmprouter.testing.Programs;
import io.rtmprouter.testing.RouterUnderTest;
import io.rtmprouter.testing.RtmpClients;
import io.rtmprouter.testing.ScenarioRig;
import io.rtmprouter.testing.TestMedia;
import io.rtmprouter.testing.TestSockets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TLS listener of samples/rtmp-router.cfg (127.0.0.1:443, `ssl crt samples/tls/demo.pem`)
 * in front of real nginx-rtmp origins, which have no TLS: real ffprobe plays over RTMPS and
 * RTMPTS, ffmpeg publishes over RTMPS to the upload server, and raw RTMP works on the same port.
 * TLS sent to the port-80 listener, which has no `ssl`, is refused with a log line.
 */
class TlsScenarioTest {
    @RegisterExtension
    static final ScenarioRig rig = ScenarioRig.withOrigins("session");
    static Router router;

    @BeforeAll
    static void start() {
        router = rig.sample();
    }

    private static String ended(String client) {
        return rig.log().await(10_000, "event=end", "client=" + client + ":");
    }

    private static void assertH264AndAac(Programs.Result r, String what) {
        assertEquals(0, r.exitCode(), what + ": " + r.describe());
        assertTrue(r.stdout().contains("codec_name=h264") && r.stdout().contains("codec_name=aac"), what + ": " + r.describe());
    }

    @Test
    void ffprobePlaysOverRtmpsAndTheOriginGetsPlainRtmpFromTheClient() {
        assertH264AndAac(RtmpClients.ffprobe("rtmps://127.0.0.1:443/vod/test.flv", "127.0.66.1"), "ffprobe rtmps://");
        String end = ended("127.0.66.1");
        assertTrue(end.contains(" frontend=rtmp-443 backend=rtmp-over-http ") && end.contains(" proto=rtmps role=player app=vod ")
                && end.contains(" splice=false "), end);
        int origin = OriginFarm.NAMES.indexOf(rig.origins().awaitOriginOf("127.0.66.1"));
        assertTrue(rig.origins().accessLog(origin).stream().anyMatch(l -> l.startsWith("127.0.66.1 ") && l.contains("PLAY \"vod\" \"test\"")),
                rig.origins().accessLog(origin).toString());
    }

    @Test
    void ffprobePlaysOverRtmptsOnTheSamePort() {
        assertH264AndAac(RtmpClients.ffprobe("rtmpts://127.0.0.1:443/vod/test.flv", "127.0.66.2"), "ffprobe rtmpts://");
        String end = ended("127.0.66.2");
        assertTrue(Pattern.compile(" proto=rtmpts rtmpt_session=[0-9a-f]{8} role=player app=vod ").matcher(end).find(), end);
    }

    /**
     * librtmp (GnuTLS) over the sample's default ssl bind, TLS 1.3 and 1.2 both offered: before,
     * the JDK's TLS 1.3 NewSessionTicket after the handshake broke rtmpdump's RTMP handshake
     * over rtmps, and rtmpts crashed it.
     */
    @Test
    void rtmpdumpDownloadsOverRtmpsAndRtmptsOnTheDefaultSslBind() throws Exception {
        long source = Files.size(TestMedia.vodFile());
        for (String scheme : List.of("rtmps", "rtmpts")) {
            String client = scheme.equals("rtmps") ? "127.0.66.10" : "127.0.66.11";
            byte[] flv = RtmpClients.rtmpdump(scheme + "://127.0.0.1:443/vod/test.flv", client,
                    rig.dir().resolve(scheme + ".flv"));
            assertTrue(flv.length > source * 9 / 10, scheme + ": rtmpdump got " + flv.length + " of " + source + " bytes");
            assertH264AndAac(RtmpClients.ffprobeFile(rig.dir().resolve(scheme + ".flv")), "rtmpdump " + scheme + "://");
            String end = ended(client);
            assertTrue(end.contains(" proto=" + scheme + " ") && end.contains(" role=player app=vod "), end);
        }
    }

    /** librtmp as GStreamer's rtmpsrc drives it, over both TLS schemes of the default ssl bind. */
    @Test
    void gstreamerRtmpsrcPlaysOverRtmpsAndRtmptsOnTheDefaultSslBind() {
        for (String scheme : List.of("rtmps", "rtmpts")) {
            String client = scheme.equals("rtmps") ? "127.0.66.13" : "127.0.66.14";
            Path out = rig.dir().resolve("gst-" + scheme + ".flv");
            Programs.Result r = RtmpClients.gstreamerPlay(scheme + "://127.0.0.1:443/vod/test.flv", client, out, 10,
                    rig.dir().resolve("gst-cache"));
            assertEquals(0, r.exitCode(), scheme + ": " + r.describe());
            assertH264AndAac(RtmpClients.ffprobeFile(out), "rtmpsrc " + scheme + "://");
            String end = ended(client);
            assertTrue(end.contains(" proto=" + scheme + " ") && end.contains(" role=player app=vod "), end);
        }
    }

    /**
     * librtmp publishing, as python-librtmp and GStreamer's rtmpsink drive it, over both TLS
     * schemes: each lands on its server, and its session ends when it stops. librtmp stops with
     * a close_notify and waits for ours; under TLS 1.3 the JDK does not answer one by itself, and
     * the router took it for nothing: python-librtmp hung in gnutls_bye until `timeout client`.
     */
    @Test
    void librtmpEncodersPublishOverRtmpsAndRtmptsOnTheDefaultSslBind() {
        int n = 0;
        for (String scheme : List.of("rtmps", "rtmpts")) {
            for (String encoder : List.of("python-librtmp", "rtmpsink")) {
                String client = "127.0.66." + (20 + n++);
                String url = scheme + "://127.0.0.1:443/live/" + encoder.replace("-", "") + scheme;
                long start = System.nanoTime();
                Programs.Result r = encoder.equals("rtmpsink")
                        ? RtmpClients.gstreamerPublish(TestMedia.vodFile(), url, client, rig.dir().resolve("gst-cache"))
                        : RtmpClients.librtmpPublish(url, client, 2.0);
                assertEquals(0, r.exitCode(), encoder + " " + scheme + ": " + r.describe());
                // librtmp's gnutls_bye waits for our close_notify: it hung until timeout client before.
                long seconds = (System.nanoTime() - start) / 1_000_000_000;
                assertTrue(seconds < 12, encoder + " " + scheme + " took " + seconds + " s to publish 5 s and stop");
                String end = ended(client);
                // python-librtmp connects before it says it will publish: its connect reads as a
                // player's (rtmpsink asks librtmp to write first, which marks the connect nonprivate).
                String expected = encoder.equals("rtmpsink")
                        ? " backend=bk_upload server=media03 proto=" + scheme + " .*role=publisher app=live "
                        : " proto=" + scheme + " .*role=player app=live ";
                assertTrue(Pattern.compile(expected).matcher(end).find(), encoder + " " + scheme + ": " + end);
            }
        }
    }

    /** A librtmp session over TLS 1.2 that ends normally is a client_close ("SSLEngine closed already" was client_error). */
    @Test
    void rtmpdumpOverTls12EndsAsAClientClose() throws Exception {
        int port = ScenarioRig.freePort();
        try (Router tls12 = RouterUnderTest.start(ScenarioRig.RTMP_DEFAULTS + """
                frontend tls12
                 bind 127.0.0.1:%d ssl crt samples/tls/demo.pem ssl-max-ver TLSv1.2
                 default_backend vod
                backend vod
                 server media01 127.0.1.1:1935
                """.formatted(port))) {
            byte[] flv = RtmpClients.rtmpdump("rtmps://127.0.0.1:" + port + "/vod/test.flv", "127.0.66.12",
                    rig.dir().resolve("tls12.flv"));
            assertTrue(flv.length > Files.size(TestMedia.vodFile()) * 9 / 10, "got " + flv.length);
            String end = ended("127.0.66.12");
            assertTrue(end.contains(" proto=rtmps ") && end.endsWith(" term=client_close"), end);
        }
    }

    @Test
    void anEncoderPublishingOverRtmpsLandsOnTheUploadServer() throws Exception {
        Process encoder = rig.program(RtmpClients.publish("rtmps://127.0.0.1:443/live/secure", "127.0.66.3", rig.dir().resolve("enc.log")));
        try {
            String routed = rig.log().await(10_000, "event=routed", "client=127.0.66.3:");
            assertTrue(routed.contains(" backend=bk_upload server=media03 proto=rtmps role=publisher "), routed);
            OriginFarm.awaitPublishing(2, "secure");
        } finally {
            Programs.stop(encoder);
        }
    }

    @Test
    void rawRtmpWorksOnTheTlsPortToo() {
        assertH264AndAac(RtmpClients.ffprobe("rtmp://127.0.0.1:443/vod/test.flv", "127.0.66.4"), "ffprobe rtmp:// on 443");
        assertTrue(ended("127.0.66.4").contains(" frontend=rtmp-443 ") && ended("127.0.66.4").contains(" proto=rtmp "),
                ended("127.0.66.4"));
    }

    @Test
    void tlsOnTheListenerWithoutSslIsRefusedAndLogged() throws Exception {
        try (Socket plain = TestSockets.connectFrom("127.0.66.5", 80);
             SSLSocket tls = (SSLSocket) trustingEveryone().getSocketFactory().createSocket(plain, "127.0.0.1", 80, true)) {
            assertThrows(SSLException.class, tls::startHandshake);
        }
        assertTrue(ended("127.0.66.5").contains(" frontend=rtmp-80 ") && ended("127.0.66.5").endsWith(
                "term=bad_request detail=\"a TLS ClientHello on a bind without 'ssl'\""), ended("127.0.66.5"));
    }

    @Test
    void aBrokenTlsHandshakeOnTheSslListenerIsABadRequest() throws Exception {
        try (Socket s = TestSockets.connectFrom("127.0.66.6", 443)) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            // A handshake record whose body is no ClientHello.
            out.write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x06, 0x01, 0x00, 0x00, 0x02, 0x7f, 0x7f});
            in.readAllBytes();
        }
        String end = ended("127.0.66.6");
        assertTrue(end.contains(" frontend=rtmp-443 ") && end.contains("term=bad_request detail=\"TLS handshake failed"), end);
        assertTrue(end.contains(" proto=tls "), "a TLS session, not a TCP one: " + end);
    }

    @Test
    void garbageAfterATlsRecordHeaderIsLoggedInOneShortLine() throws Exception {
        try (Socket s = TestSockets.connectFrom("127.0.66.7", 443)) {
            byte[] garbage = new byte[3000];
            new java.util.Random(7).nextBytes(garbage);
            garbage[0] = 0x16;
            garbage[1] = 0x03;
            garbage[2] = 0x01;
            garbage[3] = 0x00;
            garbage[4] = 0x05;
            garbage[10] = 0x00; // the second record's type: none TLS knows
            s.getOutputStream().write(garbage);
            try {
                s.getInputStream().readAllBytes();
            } catch (java.net.SocketException reset) {
                // the router closed while garbage was still unread: the kernel resets
            }
        }
        String end = ended("127.0.66.7");
        assertTrue(end.contains(" proto=tls ") && end.contains(" term=bad_request detail=\"TLS handshake failed"), end);
        // Netty's message holds the whole record in hex (6 KB here): the line keeps 256 characters of it.
        String detail = end.substring(end.indexOf(" detail=\"") + 9);
        assertTrue(detail.length() <= 256 + 3 + 1, detail.length() + ": " + end);
        assertTrue(rig.log().lines().stream().filter(l -> l.contains("client=127.0.66.7:")).allMatch(l -> l.length() < 1000),
                "no line of that client's is a dump");
    }

    @Test
    void aStalledTlsHandshakeSaysItWaitedForTheHandshake() throws Exception {
        try (Socket s = TestSockets.connectFrom("127.0.66.8", 443)) {
            // A ClientHello's record header and no more: the handshake never completes.
            s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x01, 0x00, 0x01});
            s.getInputStream().readAllBytes();
        }
        String end = ended("127.0.66.8");
        assertTrue(end.contains(" proto=tls ")
                && end.endsWith("term=inspect_timeout detail=\"still waiting for the TLS handshake after 5000ms\""), end);
    }

    @Test
    void aClientResetBeforeItsServerIsChosenIsAClientReset() throws Exception {
        try (Socket s = TestSockets.connectFrom("127.0.66.9", 1935)) {
            byte[] c0c1 = new byte[1537];
            c0c1[0] = 3;
            s.getOutputStream().write(c0c1);
            s.getInputStream().readNBytes(1 + 2 * 1536);
            s.setSoLinger(true, 0); // close with RST
        }
        String end = ended("127.0.66.9");
        assertTrue(end.contains(" proto=rtmp ") && end.endsWith(" term=client_reset"), end);
    }

    private static SSLContext trustingEveryone() throws Exception {
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        return c;
    }
}
