package io.rtmprouter.scenario;

import io.rtmprouter.proxy.Router;
import io.rtmprouter.testing.Amf0TestEncoder;
import io.rtmprouter.testing.HttpWire;
import io.rtmprouter.testing.OriginFarm;
import io.rtmprouter.testing.Programs;
import io.rtmprouter.testing.RtmpChunks;
import io.rtmprouter.testing.RtmpClients;
import io.rtmprouter.testing.ScenarioRig;
import io.rtmprouter.testing.TestMedia;
import io.rtmprouter.testing.TestSockets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RTMPT (RTMP in HTTP POSTs) on the port-80 listener of samples/rtmp-router.cfg, in front of
 * real nginx-rtmp origins, which speak no RTMPT: real ffprobe, rtmpdump and ffmpeg tunnel
 * through the router, which hands the origins a plain RTMP connection from the client's own
 * address. A second router shows RTMPT routed by the same app/role/proto rules as raw RTMP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RtmptScenarioTest {
    /** A port the kernel had free (HAProxy's syntax, and ours, has no port 0 to bind). */
    private static final int RULES_PORT = ScenarioRig.freePort();
    private static final String RULES_CONFIG = ScenarioRig.RTMP_DEFAULTS + """
            frontend by_rules
             bind 127.0.0.1:%d
             tcp-request content reject if { rtmp.proto rtmpe }
             acl vod rtmp.app vod
             acl encoder rtmp.role publisher
             use_backend b_upload if encoder
             use_backend b_vod if vod
             default_backend b_live
            backend b_vod
             server media01 127.0.1.1:1935
            backend b_live
             server media02 127.0.1.2:1935
            backend b_upload
             server media03 127.0.1.3:1935
            """.formatted(RULES_PORT);
    private static final Pattern TUNNEL_ID = Pattern.compile(" proto=rtmpt rtmpt_session=[0-9a-f]{8} ");

    @RegisterExtension
    static final ScenarioRig rig = ScenarioRig.withOrigins("session");
    static Router router;
    static Router byRules;
    static Process encoder;

    @BeforeAll
    static void start() throws Exception {
        router = rig.sample();
        byRules = rig.router(RULES_CONFIG);
    }

    private static String routed(String client) {
        return rig.log().await(10_000, "event=routed", "client=" + client + ":");
    }

    private static String ended(String client) {
        return rig.log().await(10_000, "event=end", "client=" + client + ":");
    }

    private static void assertH264AndAac(String output, String what) {
        assertTrue(output.contains("codec_name=h264") && output.contains("codec_name=aac"), what + ":\n" + output);
    }

    @Test
    @Order(1)
    void ffprobeAndRtmpdumpPlayVodOverRtmptAndTheOriginSeesPlainRtmpFromTheClient() throws Exception {
        Programs.Result probe = RtmpClients.ffprobe("rtmpt://127.0.0.1:80/vod/test.flv", "127.0.65.1");
        assertEquals(0, probe.exitCode(), probe.describe());
        assertH264AndAac(probe.stdout(), "ffprobe rtmpt://");
        String end = ended("127.0.65.1");
        assertTrue(TUNNEL_ID.matcher(end).find() && end.contains(" frontend=rtmp-80 backend=rtmp-over-http ")
                && end.contains(" role=player app=vod tcurl=rtmpt://127.0.0.1:80/vod "), end);
        String origin = rig.origins().awaitOriginOf("127.0.65.1");
        int i = OriginFarm.NAMES.indexOf(origin);
        assertTrue(rig.origins().accessLog(i).stream().anyMatch(l -> l.startsWith("127.0.65.1 ") && l.contains("PLAY \"vod\" \"test\"")),
                "nginx, which has no RTMPT, played the tunnelled session to the client's own address: "
                        + rig.origins().accessLog(i));

        byte[] flv = RtmpClients.rtmpdump("rtmpt://127.0.0.1:80/vod/test.flv", "127.0.65.2", rig.dir().resolve("vod.flv"));
        long original = Files.size(TestMedia.vodFile());
        assertTrue(flv.length > original * 9 / 10, "rtmpdump got " + flv.length + " of about " + original + " bytes");
        assertH264AndAac(RtmpClients.ffprobeFile(rig.dir().resolve("vod.flv")).stdout(), "rtmpdump rtmpt://");
        String dumped = ended("127.0.65.2");
        assertTrue(TUNNEL_ID.matcher(dumped).find() && dumped.contains(" flashver=\"LNX 10,0,32,18\" "), dumped);
        long lines = rig.log().lines().stream().filter(l -> l.contains("client=127.0.65.2:") && l.contains("event=end")).count();
        assertEquals(1, lines, "one line per RTMPT session, however many POSTs it took");
    }

    @Test
    @Order(2)
    void rawRtmpOnThePort80ListenerStillWorks() {
        Programs.Result probe = RtmpClients.ffprobe("rtmp://127.0.0.1:80/vod/test.flv", "127.0.65.3");
        assertEquals(0, probe.exitCode(), probe.describe());
        assertH264AndAac(probe.stdout(), "ffprobe rtmp:// on port 80");
        String end = ended("127.0.65.3");
        assertTrue(end.contains(" frontend=rtmp-80 backend=rtmp-over-http ") && end.contains(" proto=rtmp role=player ")
                && !end.contains("rtmpt_session"), end);
    }

    @Test
    @Order(3)
    void anEncoderPublishingOverRtmptLandsOnTheUploadServerAndPlayersWatchItOverRtmpt() throws Exception {
        encoder = rig.program(RtmpClients.publish("rtmpt://127.0.0.1:80/live/tunnelled", "127.0.65.10", rig.dir().resolve("encoder.log")));
        String r = routed("127.0.65.10");
        assertTrue(r.contains(" backend=bk_upload server=media03 proto=rtmpt ") && r.contains(" role=publisher app=live "), r);
        OriginFarm.awaitPublishing(2, "tunnelled");
        assertTrue(encoder.isAlive(), Files.readString(rig.dir().resolve("encoder.log")));

        Programs.Result probe = RtmpClients.ffprobeLive("rtmpt://127.0.0.1:80/relay/tunnelled", "127.0.65.11");
        assertEquals(0, probe.exitCode(), probe.describe());
        assertH264AndAac(probe.stdout(), "ffprobe rtmpt:// live");
        Path live = rig.dir().resolve("live.flv");
        RtmpClients.rtmpdumpLive("rtmpt://127.0.0.1:80/relay/tunnelled", "127.0.65.12", live);
        assertTrue(Files.size(live) > 10_000, "rtmpdump recorded " + Files.size(live) + " bytes of the live stream");
        assertH264AndAac(RtmpClients.ffprobeFile(live).stdout(), "rtmpdump rtmpt:// live");
        for (String player : List.of("127.0.65.11", "127.0.65.12")) {
            assertTrue(TUNNEL_ID.matcher(routed(player)).find() && routed(player).contains(" backend=rtmp-over-http "),
                    routed(player));
        }
        assertNotEquals(ended("127.0.65.11"), ended("127.0.65.12"));
    }

    @Test
    @Order(4)
    void rtmptIsRoutedByTheSameAppRoleAndProtoRulesAsRawRtmp() {
        String base = "rtmpt://127.0.0.1:" + RULES_PORT;
        Programs.Result vod = RtmpClients.ffprobe(base + "/vod/test.flv", "127.0.65.20");
        assertEquals(0, vod.exitCode(), vod.describe());
        assertTrue(routed("127.0.65.20").contains(" backend=b_vod server=media01 proto=rtmpt "), routed("127.0.65.20"));

        Programs.Result live = RtmpClients.ffprobeLive(base + "/relay/tunnelled", "127.0.65.21");
        assertEquals(0, live.exitCode(), live.describe());
        assertTrue(routed("127.0.65.21").contains(" backend=b_live server=media02 proto=rtmpt "), routed("127.0.65.21"));

        Process publisher = RtmpClients.publish(base + "/live/second", "127.0.65.22", rig.dir().resolve("second.log"));
        try {
            assertTrue(routed("127.0.65.22").contains(" backend=b_upload server=media03 proto=rtmpt ")
                    && routed("127.0.65.22").contains(" role=publisher "), routed("127.0.65.22"));
        } finally {
            Programs.stop(publisher);
        }

        // rtmpdump's rtmpte:// is RTMPE inside the tunnel: the proto rule refuses it as it would on a socket.
        Programs.Result rtmpte = Programs.run(List.of("rtmpdump", "-q", "-m", "3", "-r", "rtmpte://127.0.0.1:"
                        + RULES_PORT + "/live/x", "-o", rig.dir().resolve("e.flv").toString()),
                Map.of("LD_PRELOAD", TestMedia.bindShim().toString(), "BIND_ADDR", "127.0.65.23"), Duration.ofSeconds(20));
        assertNotEquals(0, rtmpte.exitCode(), "refused: " + rtmpte.describe());
        String refused = ended("127.0.65.23");
        assertTrue(refused.contains(" proto=rtmpe rtmpt_session=") && refused.contains(" role=unknown ")
                && refused.contains("term=rejected detail=\"tcp-request content reject at scenario.cfg:"), refused);
    }

    @Test
    @Order(5)
    void oneSessionsRequestsMayComeOverThreeConnectionsAndNginxAnswersTheConnectThroughThem() throws Exception {
        try (Socket a = TestSockets.connectFrom("127.0.65.30", 80);
             Socket b = TestSockets.connectFrom("127.0.65.30", 80);
             Socket c = TestSockets.connectFrom("127.0.65.30", 80)) {
            String id = HttpWire.exchange(a, "/open/1", new byte[] {0}).bodyText();
            assertTrue(id.matches("[0-9a-f]{32}\n"), id);
            id = id.trim();

            byte[] c0c1 = new byte[1537];
            c0c1[0] = 3;
            byte[] answer = HttpWire.exchange(b, "/send/" + id + "/0", c0c1).body();
            assertEquals(1 + 3073, answer.length, "the polling byte, then S0+S1+S2");
            assertEquals(3, answer[1]);
            byte[] s1 = Arrays.copyOfRange(answer, 2, 2 + 1536);
            Map<String, Object> command = new LinkedHashMap<>();
            command.put("app", "vod");
            command.put("flashVer", "LNX 9,0,124,2");
            command.put("tcUrl", "rtmpt://127.0.0.1:80/vod");
            byte[] connect = RtmpChunks.connect(new Amf0TestEncoder().string("connect").number(1).object(command)
                    .toByteArray(), 128);
            HttpWire.exchange(c, "/send/" + id + "/1", RtmpChunks.concat(s1, connect));

            String fromNginx = "";
            int seq = 2;
            for (long end = System.currentTimeMillis() + 10_000;
                 !fromNginx.contains("NetConnection.Connect.Success") && System.currentTimeMillis() < end; seq++) {
                Socket via = List.of(a, b, c).get(seq % 3);
                fromNginx += new String(HttpWire.exchange(via, "/idle/" + id + "/" + seq, new byte[] {0}).body(),
                        StandardCharsets.ISO_8859_1);
            }
            assertTrue(fromNginx.contains("_result") && fromNginx.contains("NetConnection.Connect.Success"),
                    "nginx-rtmp's answer to the connect, polled over three connections: " + fromNginx);
            assertArrayEquals(new byte[] {0}, HttpWire.exchange(a, "/close/" + id + "/" + seq, new byte[] {0}).body());
            assertEquals(404, HttpWire.exchange(b, "/idle/" + id + "/" + (seq + 1), new byte[] {0}).status(),
                    "a closed session's id is gone");
        }
        String end = ended("127.0.65.30");
        assertTrue(TUNNEL_ID.matcher(end).find() && end.contains(" role=player app=vod ")
                && end.contains(" term=client_close"), end);
        assertEquals(1, rig.log().lines().stream().filter(l -> l.contains("client=127.0.65.30:") && l.contains("event=end")).count(),
                "three connections, one session, one line");
    }

    /**
     * python-librtmp publishing over RTMPT, then stopping: librtmp sends its /close/ behind unanswered
     * /send/s and closes the socket at once. The session must end then, not at `timeout client`
     * (before: 3 of 13 such closes were lost and the session lived 60 s). 20 runs in a row.
     */
    @Test
    @Order(6)
    void aLibrtmpPublisherThatStopsEndsItsRtmptSessionAtOnceTwentyTimesInARow() {
        for (int i = 0; i < 20; i++) {
            String client = "127.0.65." + (100 + i);
            Programs.Result r = RtmpClients.librtmpPublish("rtmpt://127.0.0.1:80/live/librtmp" + i, client, 0.5);
            assertEquals(0, r.exitCode(), r.describe());
            long exited = System.nanoTime();
            String end = rig.log().await(3_000, "event=end", "client=" + client + ":");
            long ms = (System.nanoTime() - exited) / 1_000_000;
            // python-librtmp connects before it says it will publish: its connect reads as a player's.
            // client_close when its /close/ arrived; client_reset when the client's socket close
            // dropped it (the connection that carried its last request was reset).
            assertTrue(end.contains(" proto=rtmpt ") && end.contains(" app=live ")
                    && (end.endsWith(" term=client_close") || end.contains(" term=client_reset ")), "run " + (i + 1) + ": " + end);
            assertTrue(ms < 3_000, "run " + (i + 1) + " ended " + ms + " ms after the publisher");
        }
    }
}
