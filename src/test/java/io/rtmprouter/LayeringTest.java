package io.rtmprouter;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packages of src/main read as the flow, top to bottom: each may use only the packages below
 * it. proxy's rooms follow a session (accept, RTMPT tunnels, inspection, routing, relay) down to
 * what they share (the session, the transport); nothing under cli uses bench, and nothing below
 * bench uses proxy.
 */
class LayeringTest {
    /** Top to bottom. */
    static final List<String> LAYERS = List.of(
            "cli", "bench", "runtime",
            "proxy", "proxy.accept", "proxy.tunnel", "proxy.inspect", "proxy.route", "proxy.relay",
            "proxy.session", "proxy.transport",
            "health", "resolve", "syslog", "proxyheader", "tls", "balance", "stats", "stick", "config", "detect", "rtmp", "rtmpt", "log");
    private static final Path SOURCES = Path.of("src/main/java/io/rtmprouter");
    /** An import or a qualified name in code: io.rtmprouter.a.b.Name. */
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.rtmprouter\\.((?:[a-z]\\w*\\.)*)[A-Z]\\w*");

    @Test
    void everyPackageUsesOnlyThePackagesBelowIt() throws IOException {
        List<String> upward = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(SOURCES)) {
            files = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path f : files) {
            String from = packageOf(f);
            int fromRank = rank(from, f);
            String text = Files.readString(f);
            Matcher m = REFERENCE.matcher(text);
            while (m.find()) {
                String to = m.group(1).replaceAll("\\.$", "");
                if (to.equals(from)) {
                    continue;
                }
                if (rank(to, f) <= fromRank) {
                    upward.add(SOURCES.relativize(f) + " (" + from + ") uses " + m.group() + " (" + to + ")");
                }
            }
        }
        assertEquals(List.of(), upward, "references to a package above or beside");
        assertTrue(files.size() > 100, "read " + files.size() + " sources");
    }

    @Test
    void everyPackageIsPlacedAndSaysWhatItHolds() throws IOException {
        List<String> packages;
        try (Stream<Path> s = Files.walk(SOURCES)) {
            packages = s.filter(Files::isDirectory).filter(LayeringTest::holdsSources).map(d ->
                    SOURCES.relativize(d).toString().replace('/', '.')).filter(p -> !p.isEmpty()).sorted().toList();
        }
        assertEquals(LAYERS.stream().sorted().toList(), packages, "LAYERS names every package once");
        for (String p : packages) {
            if (p.startsWith("proxy")) {
                assertTrue(Files.exists(SOURCES.resolve(p.replace('.', '/')).resolve("package-info.java")),
                        p + " has a package-info.java that says what step of the flow it is");
            }
        }
    }

    private static boolean holdsSources(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String packageOf(Path file) {
        Path dir = SOURCES.relativize(file).getParent();
        return dir == null ? "" : dir.toString().replace('/', '.');
    }

    private static int rank(String pkg, Path where) {
        int i = LAYERS.indexOf(pkg);
        if (i < 0) {
            throw new AssertionError(where + ": package '" + pkg + "' is not in LayeringTest.LAYERS");
        }
        return i;
    }
}
