package io.rtmprouter.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Media the origins serve and the encoders send, generated once with ffmpeg's test sources. */
public final class TestMedia {
    private static final Path DIR = Path.of("target", "test-media");
    private static final Path SHIM = Path.of("target", "bindshim.so");

    private TestMedia() {
    }

    /** A 5-second H.264/AAC FLV file. */
    public static synchronized Path vodFile() {
        Path f = DIR.resolve("test.flv");
        if (!Files.exists(f)) {
            try {
                Files.createDirectories(DIR);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            Programs.Result r = Programs.run(List.of("ffmpeg", "-nostdin", "-y", "-v", "error",
                    "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "5",
                    "-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-b:a", "64k", "-f", "flv", f.toString()), Map.of(), Duration.ofSeconds(60));
            if (r.exitCode() != 0) {
                throw new AssertionError("ffmpeg could not make the test file: " + r.describe());
            }
        }
        return f.toAbsolutePath();
    }

    /** The LD_PRELOAD shim that gives ffmpeg and rtmpdump a source address of our choosing. */
    public static synchronized Path bindShim() {
        if (!Files.exists(SHIM)) {
            Programs.Result r = Programs.run(List.of("gcc", "-shared", "-fPIC", "-O2", "-o", SHIM.toString(),
                    "src/test/c/bindshim.c", "-ldl"), Map.of(), Duration.ofSeconds(60));
            if (r.exitCode() != 0) {
                throw new AssertionError("cannot build the bind shim: " + r.describe());
            }
        }
        return SHIM.toAbsolutePath();
    }
}
