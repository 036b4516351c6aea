package io.rtmprouter.testing;

import io.rtmprouter.proxy.Router;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a scenario class runs against, started before its tests and ended after them, last
 * started first: a working directory, the three nginx-rtmp origins, a capture of the router's
 * log lines, and the routers and programs the class starts through it. Register it as
 * {@code @RegisterExtension static final ScenarioRig rig = ScenarioRig.withOrigins("session");}.
 */
public final class ScenarioRig implements BeforeAllCallback, AfterAllCallback {
    /**
     * The `defaults` section most scenarios share: mode rtmp, with every timeout set so that a
     * stalled peer never outlives the test. A configuration appends its own sections to it.
     */
    public static final String RTMP_DEFAULTS = """
            defaults
             mode rtmp
             timeout connect 2s
             timeout client 30s
             timeout server 30s
            """;

    /**
     * The defaults of a configuration run by both rtmp-router and HAProxy ({@link #haproxy}): mode
     * tcp, and HAProxy's tcplog lines, which tell the server each session went to.
     */
    public static final String LOGGED_TCP_DEFAULTS = """
            defaults
             mode tcp
             log global
             option tcplog
             timeout connect 1s
             timeout client 10s
             timeout server 10s
            """;

    private final boolean withOrigins;
    private final String[] loggers;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private Path dir;
    private OriginFarm origins;
    private LogCapture log;

    private ScenarioRig(boolean withOrigins, String... loggers) {
        this.withOrigins = withOrigins;
        this.loggers = loggers;
    }

    /** The origins, and the lines of these loggers (none: no capture). */
    public static ScenarioRig withOrigins(String... loggers) {
        return new ScenarioRig(true, loggers);
    }

    /** No origins (the class brings its own peers), and the lines of these loggers. */
    public static ScenarioRig withoutOrigins(String... loggers) {
        return new ScenarioRig(false, loggers);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("scenario-" + context.getRequiredTestClass().getSimpleName());
        if (withOrigins) {
            origins = OriginFarm.start(dir.resolve("origins"));
            started.push(origins);
        }
        if (loggers.length > 0) {
            log = new LogCapture(loggers);
            started.push(log);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        AutoCloseable[] lastFirst = started.toArray(new AutoCloseable[0]);
        started.clear();
        try {
            Teardown.closeAll(lastFirst);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** A router on this configuration text, stopped after the class's tests. */
    public Router router(String configText) {
        return closedAfter(RouterUnderTest.start(configText));
    }

    /** samples/rtmp-router.cfg, as {@link RouterUnderTest#startSample(String)} starts it. */
    public Router sample(String head) {
        return closedAfter(RouterUnderTest.startSample(head));
    }

    public Router sample() {
        return sample("");
    }

    /** Anything else the class starts (an encoder, a server socket): ended before what was started before it. */
    public <T extends AutoCloseable> T closedAfter(T resource) {
        started.push(resource);
        return resource;
    }

    /** A long-running program, stopped (SIGTERM, then SIGKILL) after the class's tests. */
    public Process program(Process p) {
        started.push(() -> Programs.stop(p));
        return p;
    }

    /**
     * Debian's HAProxy beside the routers, on this configuration text with `log stdout format raw`
     * in a global section ahead of it (so `log global` lines reach its log), stopped after the
     * class's tests.
     *
     * @return its log: the raw log lines and its own messages
     */
    public Path haproxy(String name, String configText) {
        Programs.require("haproxy");
        try {
            Path cfg = Files.writeString(dir.resolve("haproxy-" + name + ".cfg"),
                    "global\n log stdout format raw local0\n" + configText);
            Path log = dir.resolve("haproxy-" + name + ".log");
            program(Programs.start(List.of("haproxy", "-db", "-f", cfg.toString()), Map.of(), log));
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether something listens on this TCP port (`ss`), found without connecting to it. */
    public static boolean listening(int port) {
        Programs.Result r = Programs.run(List.of("ss", "-Hltn", "( sport = :" + port + " )"), Map.of(),
                Duration.ofSeconds(5));
        if (r.exitCode() != 0) {
            throw new AssertionError(r.describe());
        }
        return !r.stdout().isBlank();
    }

    /**
     * Waits until something listens on the port, without connecting: a connection through a
     * proxy would be one more session, to its servers and in its log.
     */
    public static void awaitListening(int port) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!listening(port)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("nothing listens on port " + port + " after 10 s");
            }
            OriginFarm.sleep(50);
        }
    }

    /**
     * A port the kernel had free just now, for a scenario's own listener: HAProxy's syntax, and so
     * ours, refuses to bind port 0. Taken from the ephemeral range and released at once.
     */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public OriginFarm origins() {
        if (origins == null) {
            throw new IllegalStateException("this rig has no origins");
        }
        return origins;
    }

    public LogCapture log() {
        if (log == null) {
            throw new IllegalStateException("this rig captures no log");
        }
        return log;
    }

    /**
     * The same server message from both proxies: rtmp-router's next `msg="..."` (unquoted) and
     * HAProxy's next log line that start with `fragment`, after `seen` earlier ones, waited for
     * up to 15 s. Returns rtmp-router's, then HAProxy's.
     */
    public List<String> messagePair(Path haproxyLog, String fragment, int seen) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        List<String> ours = List.of();
        List<String> theirs = List.of();
        while (System.currentTimeMillis() < deadline) {
            ours = log().matching(l -> l.contains("msg=\"" + fragment));
            theirs = Files.readAllLines(haproxyLog).stream().filter(l -> l.startsWith(fragment)).toList();
            if (ours.size() > seen && theirs.size() > seen) {
                break;
            }
            Thread.sleep(50);
        }
        if (ours.size() <= seen) {
            throw new AssertionError("rtmp-router said no '" + fragment + "':\n" + String.join("\n", log().lines()));
        }
        if (theirs.size() <= seen) {
            throw new AssertionError("HAProxy said no '" + fragment + "':\n" + Files.readString(haproxyLog));
        }
        String o = ours.get(seen);
        return List.of(o.substring(o.indexOf("msg=\"") + 5, o.lastIndexOf('"')).replace("\\\"", "\""), theirs.get(seen));
    }

    private static void deleteQuietly(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        }
    }
}
