package io.rtmprouter.cli;

import io.rtmprouter.testing.TestCertificates;
import io.rtmprouter.testing.TestCertificates.KeyFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** `-c` loads the certificates of every `bind ... ssl`, as `haproxy -c` does. */
class MainCertificateCheckTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String config(Path crt) {
        return """
                defaults
                  mode rtmp
                  timeout connect 5s
                  timeout client 1m
                  timeout server 1m
                frontend f
                  bind 127.0.0.1:1935
                  bind 127.0.0.1:1443-1444 ssl crt %s
                  default_backend b
                backend b
                  server s 127.0.0.1:1
                """.formatted(crt);
    }

    @Test
    void aGoodPemChecksClean(@TempDir Path dir) throws Exception {
        Path pem = TestCertificates.ec("live.example.com").writePem(dir.resolve("live.pem"), KeyFormat.SEC1);
        Path cfg = Files.writeString(dir.resolve("router.cfg"), config(pem));
        assertEquals(0, run("-c", "-f", cfg.toString()), err.toString(StandardCharsets.UTF_8));
        assertEquals("Configuration file is valid\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aBadPemIsAnErrorAtItsBindLineReportedOnce(@TempDir Path dir) throws Exception {
        Path pem = TestCertificates.write(dir.resolve("live.pem"),
                TestCertificates.rsa("live.example.com").certificatePem());
        Path cfg = Files.writeString(dir.resolve("router.cfg"), config(pem));
        assertEquals(1, run("-c", "-f", cfg.toString()));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals("[ALERT] " + cfg + ":8: cannot load certificate '" + pem + "': no private key in it, nor in '"
                + pem + ".key'\n[ALERT] Fatal errors found in configuration: 1 error, 0 warnings.\n", err.toString(StandardCharsets.UTF_8));
    }
}
