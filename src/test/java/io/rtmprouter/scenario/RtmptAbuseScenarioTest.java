package io.rtmprouter.scenario;

import io.rtmprouter.proxy.Router;
import io.rtmprouter.testing.HttpWire;
import io.rtmprouter.testing.Programs;
import io.rtmprouter.testing.RtmpClients;
import io.rtmprouter.testing.ScenarioRig;
import io.rtmprouter.testing.TestSockets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One hostile client against the HTTP path of a frontend that also serves real players, in front
 * of real nginx-rtmp origins: a flood of pipelined opens from one connection, and slowloris
 * connections that drip their requests. Neither may keep real ffprobe players out.
 */
class RtmptAbuseScenarioTest {
    /** A PORT the kernel had free (HAProxy's syntax, and ours, has no PORT 0 to bind). */
    private static final int PORT = ScenarioRig.freePort();
    private static final int MAXCONN = 60;
    private static final String CONFIG = """
            defaults
             mode rtmp
             timeout connect 2s
             timeout client 60s
             timeout server 60s
            frontend web
             bind 127.0.0.1:%d
             maxconn %d
             timeout http-request 2s
             timeout http-keep-alive 1s
             default_backend origins
            backend origins
             server media01 127.0.1.1:1935
            """.formatted(PORT, MAXCONN);

    @RegisterExtension
    static final ScenarioRig rig = ScenarioRig.withOrigins("session");
    static Router router;

    @BeforeAll
    static void start() {
        router = rig.router(CONFIG);
    }

    private static void assertPlays(String client) {
        Programs.Result probe = RtmpClients.ffprobe("rtmpt://127.0.0.1:" + PORT + "/vod/test.flv", client);
        assertEquals(0, probe.exitCode(), probe.describe());
        assertTrue(probe.stdout().contains("codec_name=h264"), probe.stdout());
    }

    @Test
    void aFloodOfPipelinedOpensFromOneConnectionLeavesOtherAddressesTheirSessions() throws Exception {
        try (Socket flood = TestSockets.connectFrom("127.0.82.1", PORT)) {
            flood.setSoTimeout(10_000);
            byte[] one = HttpWire.librtmpPost("/open/1", new byte[] {0});
            byte[] all = new byte[one.length * MAXCONN];
            for (int i = 0; i < MAXCONN; i++) {
                System.arraycopy(one, 0, all, i * one.length, one.length);
            }
            flood.getOutputStream().write(all);
            String answers = readAtLeast(flood.getInputStream(), MAXCONN, "\r\n\r\n");
            int opened = count(answers, "HTTP/1.1 200 OK");
            int refused = count(answers, "too many RTMPT sessions from this address (at most 10)");
            assertEquals(10, opened, "the address's share: a tenth of maxconn " + MAXCONN + ", at least 10");
            assertEquals(MAXCONN - 10, refused);
            // The flood's sessions still hold their places; players from elsewhere get theirs.
            assertPlays("127.0.82.2");
            assertPlays("127.0.82.3");
        }
    }

    @Test
    void slowlorisConnectionsAreClosedAtTimeoutHttpRequestWhileFfprobePlays() throws Exception {
        List<Socket> drips = new ArrayList<>();
        try {
            // Fill the frontend, less one: each sends a valid request, then drips the next.
            for (int i = 0; i < MAXCONN - 1; i++) {
                Socket s = TestSockets.connectFrom("127.0.83." + (1 + i), PORT);
                s.setSoTimeout(10_000);
                assertEquals(404, HttpWire.exchange(s, "/fcs/ident2", new byte[] {0}).status());
                drips.add(s);
            }
            byte[] next = HttpWire.librtmpPost("/idle/00/0", new byte[] {0});
            long start = System.nanoTime();
            List<Boolean> cut = new ArrayList<>();
            for (int b = 0; b < next.length && System.nanoTime() - start < 6_000_000_000L; b++) {
                for (Socket s : drips) {
                    try {
                        s.getOutputStream().write(next[b]);
                    } catch (java.io.IOException closed) {
                        // the router has closed it
                    }
                }
                Thread.sleep(250);
            }
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(seconds >= 5, "dripped for " + seconds + " s");
            for (Socket s : drips) {
                String answer = readAtLeast(s.getInputStream(), 1, "\n");
                cut.add(answer.startsWith("HTTP/1.1 408 ") && answer.contains("(timeout http-request)"));
            }
            assertTrue(cut.stream().allMatch(c -> c), "every drip was answered 408 and closed: " + cut);
            // A real player on the same frontend, while the attacker keeps trying.
            assertPlays("127.0.83.200");
        } finally {
            for (Socket s : drips) {
                s.close();
            }
        }
    }

    /** Reads until `marker` has been seen `times` times or the peer closes. */
    private static String readAtLeast(InputStream in, int times, String marker) throws java.io.IOException {
        StringBuilder got = new StringBuilder();
        byte[] buf = new byte[8192];
        while (count(got.toString(), marker) < times) {
            int n;
            try {
                n = in.read(buf);
            } catch (java.net.SocketException reset) {
                break;
            }
            if (n < 0) {
                break;
            }
            got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        }
        return got.toString();
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            n++;
        }
        return n;
    }
}
