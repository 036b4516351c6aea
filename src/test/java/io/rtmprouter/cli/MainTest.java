package io.rtmprouter.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void checkAcceptsTheReferenceConfigurationAndPrintsItsWarnings() {
        assertEquals(0, run("-c", "-f", "samples/haproxy-reference.cfg"));
        assertEquals("Configuration file is valid\n", stdout());
        assertTrue(stderr().contains("[WARNING] samples/haproxy-reference.cfg:7: missing timeouts for frontend 'ft_rtpm'"),
                stderr());
        assertTrue(stderr().endsWith("\nWarnings were found: 4 warnings.\n"), stderr());
    }

    @Test
    void checkRejectsAnInvalidFileWithEveryErrorAndExitsOne(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.cfg");
        Files.writeString(bad, "frontend f\n  bind :1935\n  mode tcp\n  maxcon 10\n  default_backend nope\n");
        assertEquals(1, run("-c", "-f", bad.toString()));
        assertEquals("", stdout());
        // Warnings are printed with the errors, in the order of their lines, as haproxy -c prints them.
        assertEquals("[WARNING] " + bad + ":1: missing timeouts for frontend 'f': without 'client' a stalled peer"
                + " holds its connection forever\n"
                + "[ALERT] " + bad + ":4: unknown keyword 'maxcon' in 'frontend' section (did you mean 'maxconn'?)\n"
                + "[ALERT] " + bad + ":5: frontend 'f' has unknown default_backend 'nope'\n"
                + "[ALERT] Fatal errors found in configuration: 2 errors, 1 warning.\n", stderr());
    }

    @Test
    void aDirectoryStandsForItsCfgFilesInOrder(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("20-backend.cfg"), "backend b\n  mode tcp\n  server s 127.0.0.1:1\n");
        Files.writeString(dir.resolve("10-frontend.cfg"), "frontend f\n  mode tcp\n  bind :1\n  default_backend b\n");
        Files.writeString(dir.resolve("notes.txt"), "not a configuration");
        assertEquals(0, run("-c", "-f", dir.toString()));
    }

    @Test
    void usageErrorsExitTwoAndVersionExitsZero() {
        assertEquals(2, run("-x"));
        assertTrue(stderr().startsWith("rtmp-router: unknown option '-x'\nusage:"), stderr());
        assertEquals(2, run("-c"));
        assertEquals(2, run("-f"));
        assertEquals(0, run("-v"));
        assertTrue(stdout().startsWith("rtmp-router version "), stdout());
        assertEquals(1, run("-c", "-f", "/nonexistent/router.cfg"));
        assertTrue(stderr().contains("[ALERT] Cannot read configuration: /nonexistent/router.cfg"), stderr());
    }
}
