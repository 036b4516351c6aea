package io.rtmprouter.scenario;

import io.rtmprouter.testing.HashingOrigin;
import io.rtmprouter.testing.ScenarioRig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real process: SIGTERM ends sessions (logged), closes listeners and exits 0. */
class ShutdownScenarioTest {
    @Test
    void sigtermEndsEverySessionLogsItAndExitsZero(@TempDir Path dir) throws Exception {
        int port = ScenarioRig.freePort();
        try (HashingOrigin origin = new HashingOrigin("127.0.2.1", 0, 0)) {
            Path cfg = dir.resolve("router.cfg");
            Files.writeString(cfg, """
                    defaults
                      mode tcp
                      timeout connect 1s
                      timeout client 30s
                      timeout server 30s
                    listen l
                      bind 127.0.0.1:%d
                      server o 127.0.2.1:%d
                    """.formatted(port, origin.port()));
            Path log = dir.resolve("router.log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process router = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "io.rtmprouter.cli.Main", "-f", cfg.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            try {
                awaitLine(log, "event=started");
                try (Socket client = new Socket()) {
                    client.bind(new InetSocketAddress("127.0.40.20", 0));
                    client.connect(new InetSocketAddress("127.0.0.1", port));
                    long deadline = System.currentTimeMillis() + 5000;
                    while (origin.open.isEmpty() && System.currentTimeMillis() < deadline) {
                        Thread.sleep(20);
                    }
                    assertEquals(1, origin.open.size(), "the session reached the origin");
                    router.destroy();
                    assertTrue(router.waitFor(10, TimeUnit.SECONDS), "stopped within 10 s");
                    assertEquals(0, router.exitValue());
                    client.setSoTimeout(2000);
                    assertEquals(-1, client.getInputStream().read(), "the client's connection was closed");
                }
                List<String> lines = Files.readAllLines(log);
                assertTrue(lines.stream().anyMatch(l -> l.contains("client=127.0.40.20:") && l.endsWith("term=shutdown")),
                        String.join("\n", lines));
                assertTrue(lines.get(lines.size() - 1).contains("event=stopped"), String.join("\n", lines));
            } finally {
                router.destroyForcibly();
            }
        }
    }

    private static void awaitLine(Path log, String fragment) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(fragment)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + fragment + "' in the router's output:\n" + Files.readString(log));
    }
}
