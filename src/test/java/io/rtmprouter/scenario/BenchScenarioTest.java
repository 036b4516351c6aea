package io.rtmprouter.scenario;

import io.rtmprouter.proxy.Router;
import io.rtmprouter.testing.ScenarioRig;
import io.rtmprouter.testing.TestMedia;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load generator's smoke test (`rtmp-router bench`), against a real nginx-rtmp origin
 * directly and through a mode rtmp router: it runs, and what it reports is sane. It asserts no
 * timing: speed targets belong to scripts/bench.
 */
class BenchScenarioTest {
    /** A PORT the kernel had free (HAProxy's syntax, and ours, has no PORT 0 to bind). */
    private static final int PORT = ScenarioRig.freePort();
    private static final String CONFIG = ScenarioRig.RTMP_DEFAULTS + """
            frontend f
             bind 127.0.0.1:%d
             default_backend origins
            backend origins
             option splice-auto
             server media01 127.0.1.1:1935
            """.formatted(PORT);

    @RegisterExtension
    static final ScenarioRig rig = ScenarioRig.withOrigins("session");
    static Router router;

    @BeforeAll
    static void start() {
        router = rig.router(CONFIG);
    }

    private record Run(int exit, String out, String err) {
        long number(String pattern) {
            Matcher m = Pattern.compile(pattern).matcher(out);
            assertTrue(m.find(), pattern + " in " + out);
            return Math.round(Double.parseDouble(m.group(1)));
        }

        double decimal(String pattern) {
            Matcher m = Pattern.compile(pattern).matcher(out);
            assertTrue(m.find(), pattern + " in " + out);
            return Double.parseDouble(m.group(1));
        }
    }

    private static Run bench(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 1];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        int exit = io.rtmprouter.cli.MainAccess.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void playersPullTheWholeFileDirectAndThroughTheRouterAndTheReportAddsUp() throws Exception {
        long file = Files.size(TestMedia.vodFile());
        for (String url : new String[] {"rtmp://127.0.1.1:1935/vod/test.flv", "rtmp://127.0.0.1:" + PORT + "/vod/test.flv"}) {
            Run r = bench("--url", url, "--sessions", "20", "--concurrency", "10", "--rate", "100", "--hold", "0",
                    "--source", "127.0.77.1-127.0.77.20", "--json");
            assertEquals(0, r.exit(), r.err() + r.out());
            assertEquals(20, r.number("\"ok\":(\\d+)"));
            assertEquals(0, r.number("\"failed\":(\\d+)"));
            assertEquals(20, r.number("\"connect_result\":\\{\"count\":(\\d+)"));
            assertEquals(20, r.number("\"first_media\":\\{\"count\":(\\d+)"));
            long bytes = r.number("\"bytes_in\":(\\d+)");
            assertTrue(bytes >= 20 * file * 9 / 10, "20 whole files of " + file + " bytes, got " + bytes);
            double connectP50 = r.decimal("\"connect_result\":\\{[^}]*\"p50\":([0-9.]+)");
            double mediaP50 = r.decimal("\"first_media\":\\{[^}]*\"p50\":([0-9.]+)");
            double connectMax = r.decimal("\"connect_result\":\\{[^}]*\"max\":([0-9.]+)");
            assertTrue(0 < connectP50 && connectP50 <= connectMax && connectP50 <= mediaP50, r.out());
            assertTrue(r.decimal("\"sessions_per_s\":([0-9.]+)") > 0, r.out());
        }
        // The router logs a session when both its sides have closed, a moment after the player left.
        long logged = 0;
        for (long end = System.currentTimeMillis() + 5000; logged < 20 && System.currentTimeMillis() < end; Thread.sleep(50)) {
            logged = rig.log().lines().stream().filter(l -> l.contains("event=end") && l.contains("client=127.0.77.")).count();
        }
        assertEquals(20, logged, "the router logged each of the 20 sessions that went through it");
    }

    @Test
    void idleSessionsHoldThroughTheRouterAndFailuresAreCountedWithTheirReason() {
        Run idle = bench("--url", "rtmp://127.0.0.1:" + PORT + "/vod/x", "--mode", "idle", "--sessions", "30",
                "--hold", "300ms", "--source", "127.0.78.1-127.0.78.30");
        assertEquals(0, idle.exit(), idle.err() + idle.out());
        assertTrue(idle.out().contains("sessions      ok 30   failed 0"), idle.out());
        assertTrue(idle.err().isEmpty() || idle.err().startsWith("bench: "), "only progress lines on stderr: " + idle.err());

        // A port nobody listens on: taken free and released.
        Run refused = bench("--url", "rtmp://127.0.0.1:" + ScenarioRig.freePort() + "/vod/x", "--sessions", "3", "--json");
        assertEquals(1, refused.exit(), "some sessions failed: " + refused.out());
        assertTrue(refused.out().contains("\"failures\":{\"connect failed: Connection refused\":3}"), refused.out());
    }
}
