package io.rtmprouter.config;

import io.rtmprouter.testing.Programs;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real-world TCP-mode HAProxy configurations (src/test/resources/corpus, each with its source in
 * its header): Debian's HAProxy 2.6 accepts every one (`haproxy -c`), and so does rtmp-router,
 * whose warnings are only of the harmless kinds the keyword table allows (logging, process
 * management, HTTP-only options HAProxy ignores in TCP mode).
 */
class CorpusTest {
    private static final Path CORPUS = Path.of("src/test/resources/corpus");
    /** What a corpus configuration's warning may be about: nothing on the wire. */
    private static final Set<String> HARMLESS = Set.of("is not implemented by rtmp-router and is ignored",
            "has no effect in", "missing timeouts for", "sets no 'mode'");

    @TestFactory
    Stream<DynamicTest> everyConfigurationLoadsInHaproxyAndInRtmpRouter() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(CORPUS)) {
            files = s.filter(p -> p.toString().endsWith(".cfg")).sorted().toList();
        }
        assertTrue(files.size() >= 20, "the corpus has " + files.size() + " configurations");
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    private static void check(Path file) throws IOException {
        String header = Files.readAllLines(file).get(1);
        assertTrue(header.startsWith("# Modelled on "), file + " names its source on its second line");
        Programs.Result haproxy = Programs.run(List.of("haproxy", "-c", "-f", file.toString()), Map.of(),
                Duration.ofSeconds(30));
        assertEquals(0, haproxy.exitCode(), "haproxy -c " + file + ":\n" + haproxy.stdout() + haproxy.stderr());
        RouterConfig config;
        try {
            config = ConfigParser.parse(file.toString(), Files.readString(file));
        } catch (ConfigException e) {
            fail("rtmp-router refused " + file + ":\n" + String.join("\n", e.messages()));
            return;
        }
        List<String> unexpected = config.warnings().stream()
                .filter(w -> HARMLESS.stream().noneMatch(w::contains)).toList();
        assertEquals(List.of(), unexpected, file + ": warnings beyond the harmless kinds");
    }
}
