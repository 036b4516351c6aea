package io.rtmprouter.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchResultsTest {
    private static final BenchOptions OPTIONS = BenchOptions.parse(List.of("--url", "rtmp://127.0.0.1/vod/ab",
            "--sessions", "102"));

    @Test
    void percentilesAreNearestRankOverTheSessionsThatGotThatFar() {
        List<SessionResult> sessions = new ArrayList<>();
        for (int ms = 1; ms <= 100; ms++) {
            sessions.add(new SessionResult(null, ms * 1_000_000L, ms * 2_000_000L, 1000));
        }
        sessions.add(new SessionResult("timeout waiting for connect's _result", -1, -1, 3073));
        sessions.add(new SessionResult("timeout waiting for connect's _result", -1, -1, 3073));
        BenchResults r = new BenchResults(OPTIONS, sessions, Duration.ofSeconds(2).toNanos());

        assertEquals(new BenchResults.Percentiles(100, 50, 90, 99, 100), r.connectResult());
        assertEquals(new BenchResults.Percentiles(100, 100, 180, 198, 200), r.firstMedia());
        assertEquals(100, r.ok());
        assertEquals(100_000 + 2 * 3073, r.bytesIn());
        assertEquals(51.0, r.sessionsPerSecond());
        assertEquals(java.util.Map.of("timeout waiting for connect's _result", 2), r.failures());
    }

    @Test
    void theJsonHasTheFieldsScriptsReadWithStringsEscaped() {
        BenchResults r = new BenchResults(OPTIONS, List.of(new SessionResult(null, 1_500_000, -1, 1_000_000),
                new SessionResult("server refused connect: \"x\"", -1, -1, 0)), 1_000_000_000L);
        String json = r.json();
        assertEquals("{\"url\":\"rtmp://127.0.0.1:1935/vod/ab\",\"mode\":\"play\",\"sessions\":{\"requested\":102,"
                + "\"ok\":1,\"failed\":1,\"failures\":{\"server refused connect: \\\"x\\\"\":1}},"
                + "\"setup_ms\":{\"connect_result\":{\"count\":1,\"p50\":1.500,\"p90\":1.500,\"p99\":1.500,\"max\":1.500},"
                + "\"first_media\":{\"count\":0,\"p50\":null,\"p90\":null,\"p99\":null,\"max\":null}},"
                + "\"bytes_in\":1000000,\"duration_s\":1.000,\"throughput_mbps\":8.000,\"sessions_per_s\":2.000}", json);
        assertTrue(r.table().contains("failed     1  server refused connect: \"x\""), r.table());
    }
}
