package io.rtmprouter.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real programs the scenario tests depend on. A missing one fails the test, never skips it. */
public final class Programs {
    public record Result(int exitCode, String stdout, String stderr) {
        public String describe() {
            return "exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    private Programs() {
    }

    public static Path require(String program) {
        if (program.contains("/")) {
            // An absolute path, as for Debian's own python3 (the one its python3-librtmp is built for).
            Path p = Path.of(program);
            if (Files.isExecutable(p)) {
                return p;
            }
            throw new AssertionError(program + " is not installed (run scripts/setup-debian, which `.ci/run` calls)");
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError(program + " is not installed: the scenario tests need nginx, libnginx-mod-rtmp,"
                + " ffmpeg, rtmpdump, GStreamer, haproxy, gcc, ss, redis-server, postgresql, mariadb-server and slapd"
                + " (run scripts/setup-debian, which `.ci/run` calls)");
    }

    public static Result run(List<String> command, Map<String, String> env, Duration timeout) {
        require(command.get(0));
        try {
            Path out = Files.createTempFile("prog", ".out");
            Path err = Files.createTempFile("prog", ".err");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(command + " did not finish within " + timeout + "\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return r;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts a long-running program; its output goes to `log`. */
    public static Process start(List<String> command, Map<String, String> env, Path log) {
        require(command.get(0));
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().putAll(env);
            return pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command + ": " + e, e);
        }
    }

    /** SIGTERM, then SIGKILL if it lingers; always reaps the process. */
    public static void stop(Process p) {
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
