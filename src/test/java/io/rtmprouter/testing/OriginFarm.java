package io.rtmprouter.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Three real nginx-rtmp origins, media01..03 on 127.0.1.1..3:1935, each with its own directory,
 * access log and the same VOD file, from scripts/origin-nginx.conf.template.
 */
public final class OriginFarm implements AutoCloseable {
    public static final List<String> NAMES = List.of("media01", "media02", "media03");
    public static final List<String> ADDRESSES = List.of("127.0.1.1", "127.0.1.2", "127.0.1.3");

    private final Path root;
    private final Process[] processes = new Process[3];

    private OriginFarm(Path root) {
        this.root = root;
    }

    public static OriginFarm start(Path root) {
        Programs.require("nginx");
        if (!Files.exists(Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so"))) {
            throw new AssertionError("libnginx-mod-rtmp is not installed (run scripts/setup-debian)");
        }
        OriginFarm farm = new OriginFarm(root);
        try {
            String template = Files.readString(Path.of("scripts/origin-nginx.conf.template"));
            Path vod = TestMedia.vodFile();
            for (int i = 0; i < 3; i++) {
                Path prefix = root.resolve(NAMES.get(i));
                for (String d : List.of("logs", "vod", "conf", "tmp")) {
                    Files.createDirectories(prefix.resolve(d));
                }
                Files.copy(vod, prefix.resolve("vod/test.flv"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.writeString(prefix.resolve("conf/nginx.conf"), template.replace("@NAME@", NAMES.get(i))
                        .replace("@ADDR@", ADDRESSES.get(i)).replace("@PREFIX@", prefix.toAbsolutePath().toString()));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        for (int i = 0; i < 3; i++) {
            farm.startOrigin(i);
        }
        return farm;
    }

    public void startOrigin(int i) {
        Path prefix = root.resolve(NAMES.get(i)).toAbsolutePath();
        processes[i] = Programs.start(List.of("nginx", "-p", prefix.toString(), "-c", "conf/nginx.conf"), Map.of(),
                prefix.resolve("logs/stdout.log"));
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(ADDRESSES.get(i), 1935), 200);
                return;
            } catch (IOException e) {
                if (!processes[i].isAlive()) {
                    throw new AssertionError(NAMES.get(i) + " (nginx) exited: " + read(prefix.resolve("logs/stdout.log"))
                            + read(prefix.resolve("logs/error.log")));
                }
                sleep(50);
            }
        }
        throw new AssertionError(NAMES.get(i) + " did not listen within 10 s");
    }

    /** Makes the origin's /health page answer 503 (true) or 200 (false). */
    public void reportDown(int i, boolean down) {
        Path flag = root.resolve(NAMES.get(i)).resolve("down");
        try {
            if (down) {
                Files.writeString(flag, "maintenance\n");
            } else {
                Files.deleteIfExists(flag);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Freezes (SIGSTOP) or thaws (SIGCONT) the origin's one nginx process: the kernel still
     * accepts connections on its ports, nothing answers them, as with a hung worker.
     */
    public void freeze(int i, boolean frozen) {
        Programs.Result r = Programs.run(List.of("kill", frozen ? "-STOP" : "-CONT", Long.toString(processes[i].pid())),
                Map.of(), java.time.Duration.ofSeconds(5));
        if (r.exitCode() != 0) {
            throw new AssertionError(r.describe());
        }
    }

    public void stopOrigin(int i) {
        Programs.stop(processes[i]);
        processes[i] = null;
    }

    /** Lines of this origin's RTMP access log; nginx-rtmp writes one when a session ends. */
    public List<String> accessLog(int i) {
        Path log = root.resolve(NAMES.get(i)).resolve("logs/rtmp_access.log");
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Which origins logged a session from this client address (first field of the access log). */
    public List<String> originsThatSaw(String clientAddress) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            for (String line : accessLog(i)) {
                if (line.startsWith(clientAddress + " ")) {
                    out.add(NAMES.get(i));
                    break;
                }
            }
        }
        return out;
    }

    /** Waits until some origin has logged this client, then tells which. */
    public String awaitOriginOf(String clientAddress) {
        long deadline = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < deadline) {
            List<String> seen = originsThatSaw(clientAddress);
            if (!seen.isEmpty()) {
                if (seen.size() > 1) {
                    throw new AssertionError(clientAddress + " seen by several origins: " + seen);
                }
                return seen.get(0);
            }
            sleep(50);
        }
        throw new AssertionError("no origin logged a session from " + clientAddress);
    }

    /** The origin's rtmp_stat page (nginx serves it on port 8080). */
    public static String stat(int origin) {
        try {
            var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://" + ADDRESSES.get(origin) + ":8080/stat")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Whether the origin's /live application has a stream of that name being published. */
    public static boolean publishing(int origin, String stream) {
        String s = stat(origin);
        int live = s.indexOf("<name>live</name>");
        int relay = s.indexOf("<name>relay</name>");
        if (live < 0 || relay < 0) {
            return false;
        }
        String liveApp = s.substring(live, relay);
        int at = liveApp.indexOf("<name>" + stream + "</name>");
        return at >= 0 && liveApp.indexOf("<publishing/>", at) >= 0;
    }

    /** Waits up to 10 s until the origin publishes that stream in /live. */
    public static void awaitPublishing(int origin, String stream) {
        for (long end = System.currentTimeMillis() + 10_000; System.currentTimeMillis() < end; sleep(100)) {
            if (publishing(origin, stream)) {
                return;
            }
        }
        throw new AssertionError(NAMES.get(origin) + " does not publish " + stream + ":\n" + stat(origin));
    }

    @Override
    public void close() {
        for (int i = 0; i < 3; i++) {
            stopOrigin(i);
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
