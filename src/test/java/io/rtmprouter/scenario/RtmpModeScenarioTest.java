package io.rtmprouter.scenario;

import io.rtmprouter.proxy.Router;
import io.rtmprouter.testing.ObsLikeClient;
import io.rtmprouter.testing.OriginFarm;
import io.rtmprouter.testing.Programs;
import io.rtmprouter.testing.RtmpClients;
import io.rtmprouter.testing.ScenarioRig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * samples/rtmp-router.cfg with three real nginx-rtmp origins: real ffmpeg encoders and an
 * OBS-like publisher land on media03, and real players (ffprobe, ffmpeg, rtmpdump) from 56
 * addresses spread over the weighted pool and play the stream the encoder sends.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RtmpModeScenarioTest {
    private static final Pattern ROUTED_SERVER = Pattern.compile(" backend=(\\S+) server=(\\S+) proto=rtmp role=(\\S+) ");

    @RegisterExtension
    static final ScenarioRig rig = ScenarioRig.withOrigins("session");
    static Router router;
    static Process encoder;

    @BeforeAll
    static void start() throws Exception {
        router = rig.sample();
    }

    private static String routedLine(String client) {
        return rig.log().await(10_000, "event=routed", "client=" + client + ":");
    }

    /** backend, server and role of a routed session. */
    private static List<String> where(String client) {
        Matcher m = ROUTED_SERVER.matcher(routedLine(client));
        assertTrue(m.find(), routedLine(client));
        return List.of(m.group(1), m.group(2), m.group(3));
    }

    private static void assertH264AndAac(String output, String what) {
        assertTrue(output.contains("h264") && output.contains("aac"), what + ":\n" + output);
    }

    @Test
    @Order(1)
    void ffmpegEncodersLandOnMedia03EveryTimeOnBothListeners() throws Exception {
        encoder = rig.program(RtmpClients.publish("rtmp://127.0.0.1:1935/live/enc", "127.0.60.1", rig.dir().resolve("encoder.log")));
        assertEquals(List.of("bk_upload", "media03", "publisher"), where("127.0.60.1"));
        OriginFarm.awaitPublishing(2, "enc");
        assertTrue(encoder.isAlive(), Files.readString(rig.dir().resolve("encoder.log")));
        for (int i = 2; i <= 5; i++) {
            int port = i % 2 == 0 ? 80 : 1935;
            Process other = RtmpClients.publish("rtmp://127.0.0.1:" + port + "/live/enc" + i, "127.0.60." + i,
                    rig.dir().resolve("encoder" + i + ".log"));
            try {
                assertEquals(List.of("bk_upload", "media03", "publisher"), where("127.0.60." + i));
                OriginFarm.awaitPublishing(2, "enc" + i);
            } finally {
                Programs.stop(other);
            }
        }
        assertTrue(routedLine("127.0.60.2").contains(" frontend=rtmp-80 "));
        assertTrue(routedLine("127.0.60.1").contains(" flashver=\"FMLE/3.0 (compatible; Lavf"), routedLine("127.0.60.1"));
    }

    @Test
    @Order(2)
    void anObsLikeClientSettingChunkSize4096BeforeConnectLandsOnMedia03AndPublishes() throws Exception {
        try (ObsLikeClient obs = new ObsLikeClient("127.0.62.1", "127.0.0.1", 1935)) {
            assertEquals("NetStream.Publish.Start", obs.publish("live", "rtmp://127.0.0.1:1935/live", "obs"));
            assertEquals(List.of("bk_upload", "media03", "publisher"), where("127.0.62.1"));
            assertTrue(routedLine("127.0.62.1").contains(" flashver=\"FMLE/3.0 (compatible; FMSc/1.0)\" "));
            OriginFarm.awaitPublishing(2, "obs");
        }
    }

    @Test
    @Order(3)
    void fiftySixPlayersFromFiftySixAddressesSpread20_20_16AndPlayTheEncodersStream() throws Exception {
        String url = "rtmp://127.0.0.1:1935/relay/enc";
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String>> runs = new ArrayList<>();
        try {
            for (int i = 1; i <= 56; i++) {
                String client = "127.0.61." + i;
                int kind = i % 3;
                runs.add(pool.submit(() -> switch (kind) {
                    case 0 -> {
                        Programs.Result r = RtmpClients.ffprobeLive(url, client);
                        assertEquals(0, r.exitCode(), r.describe());
                        yield "ffprobe " + r.stdout();
                    }
                    case 1 -> {
                        Programs.Result r = RtmpClients.ffmpegPlay(url, client);
                        assertEquals(0, r.exitCode(), r.describe());
                        yield "ffmpeg " + r.stderr().lines().filter(l -> l.contains("Stream #0:") && !l.contains("->"))
                                .limit(2).toList();
                    }
                    default -> {
                        Path flv = rig.dir().resolve("dump-" + client + ".flv");
                        RtmpClients.rtmpdumpLive(url, client, flv);
                        yield "rtmpdump " + RtmpClients.ffprobeFile(flv).stdout();
                    }
                }));
            }
            for (int i = 0; i < runs.size(); i++) {
                assertH264AndAac(runs.get(i).get(), "player 127.0.61." + (i + 1));
            }
        } finally {
            pool.shutdown();
        }
        Map<String, Integer> perServer = new TreeMap<>();
        for (int i = 1; i <= 56; i++) {
            List<String> w = where("127.0.61." + i);
            assertEquals("bk_rtmp", w.get(0));
            assertEquals("player", w.get(2));
            perServer.merge(w.get(1), 1, Integer::sum);
        }
        System.out.println("measured: 56 players landed " + perServer);
        assertEquals(Map.of("media01", 20, "media02", 20, "media03", 16), perServer);
        assertTrue(routedLine("127.0.61.2").contains(" flashver=\"LNX 10,0,32,18\" "), "rtmpdump: librtmp's flashVer");
    }
}
