package io.rtmprouter.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** ffprobe, rtmpdump and ffmpeg as RTMP clients, each from a source address of the test's choosing. */
public final class RtmpClients {
    private RtmpClients() {
    }

    private static Map<String, String> from(String sourceAddress) {
        return Map.of("LD_PRELOAD", TestMedia.bindShim().toString(), "BIND_ADDR", sourceAddress);
    }

    /** ffprobe's view of the streams, one "codec_type=...|codec_name=..." line each. */
    public static Programs.Result ffprobe(String url, String sourceAddress) {
        return Programs.run(List.of("ffprobe", "-v", "error", "-rw_timeout", "5000000",
                "-show_entries", "stream=codec_type,codec_name", "-of", "compact=p=0", url),
                from(sourceAddress), Duration.ofSeconds(20));
    }

    /** Live streams: probe quickly without waiting for a long analysis. */
    public static Programs.Result ffprobeLive(String url, String sourceAddress) {
        return Programs.run(List.of("ffprobe", "-v", "error", "-rw_timeout", "5000000", "-fflags", "nobuffer",
                "-analyzeduration", "1000000", "-probesize", "65536",
                "-show_entries", "stream=codec_type,codec_name", "-of", "compact=p=0", url),
                from(sourceAddress), Duration.ofSeconds(20));
    }

    /** Downloads a VOD stream with rtmpdump; returns the FLV bytes. */
    public static byte[] rtmpdump(String url, String sourceAddress, Path out) {
        Programs.Result r = Programs.run(List.of("rtmpdump", "-q", "-m", "5", "-r", url, "-o", out.toString()),
                from(sourceAddress), Duration.ofSeconds(20));
        // rtmpdump exits 2 ("incomplete") on nginx-rtmp VOD even when the file arrived whole.
        if (r.exitCode() != 0 && r.exitCode() != 2) {
            throw new AssertionError("rtmpdump " + url + " failed: " + r.describe());
        }
        try {
            return Files.readAllBytes(out);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** ffmpeg playing one second of a stream, as ffplay would (same library); stderr lists the streams. */
    public static Programs.Result ffmpegPlay(String url, String sourceAddress) {
        return Programs.run(List.of("ffmpeg", "-nostdin", "-v", "info", "-rw_timeout", "5000000", "-i", url,
                "-t", "1", "-f", "null", "-"), from(sourceAddress), Duration.ofSeconds(20));
    }

    /**
     * rtmpdump recording a live stream for about two seconds. Live streams never end and
     * rtmpdump's --stop does not cut them, so it is interrupted; SIGINT makes it close the file.
     */
    public static Programs.Result rtmpdumpLive(String url, String sourceAddress, Path out) {
        return Programs.run(List.of("timeout", "-s", "INT", "2", "rtmpdump", "-q", "--live", "-m", "5", "-r", url,
                "-o", out.toString()), from(sourceAddress), Duration.ofSeconds(20));
    }

    /** The streams of a recorded file as ffprobe lists them. */
    public static Programs.Result ffprobeFile(Path file) {
        return Programs.run(List.of("ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name",
                "-of", "compact=p=0", file.toString()), Map.of(), Duration.ofSeconds(20));
    }

    /**
     * Publishes the VOD test file for about `seconds` through python-librtmp (Debian's
     * python3-librtmp, on librtmp as GStreamer's rtmpsink uses it), then stops as librtmp does.
     */
    public static Programs.Result librtmpPublish(String url, String sourceAddress, double seconds) {
        return Programs.run(List.of("/usr/bin/python3", "src/test/scripts/librtmp-publish.py", url,
                TestMedia.vodFile().toString(), Double.toString(seconds)), from(sourceAddress), Duration.ofSeconds(30));
    }

    /** A live H.264/AAC test stream published with ffmpeg in real time, until stopped. */
    public static Process publish(String url, String sourceAddress, Path log) {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-g", "25", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "64k", "-f", "flv", url));
        return Programs.start(cmd, from(sourceAddress), log);
    }

    /**
     * GStreamer's rtmpsrc (librtmp) reading `buffers` buffers (4 KiB each) of a stream into `out`,
     * then ending at its own EOS: gst-launch exits neither at a VOD's end nor promptly on SIGINT. Its plugin
     * registry is cached under the test's directory, not the user's.
     */
    public static Programs.Result gstreamerPlay(String url, String sourceAddress, Path out, int buffers, Path cache) {
        return Programs.run(List.of("gst-launch-1.0", "-q", "rtmpsrc", "location=" + url, "num-buffers=" + buffers,
                "!", "filesink", "location=" + out), gstEnv(sourceAddress, cache), Duration.ofSeconds(30));
    }

    /** GStreamer's rtmpsink (librtmp) publishing `file`, an FLV, as it is; exits at the file's end. */
    public static Programs.Result gstreamerPublish(Path file, String url, String sourceAddress, Path cache) {
        return Programs.run(List.of("gst-launch-1.0", "-q", "filesrc", "location=" + file, "!", "flvdemux", "name=d",
                "flvmux", "name=m", "streamable=true", "!", "rtmpsink", "location=" + url,
                "d.video", "!", "queue", "!", "m.video", "d.audio", "!", "queue", "!", "m.audio"),
                gstEnv(sourceAddress, cache), Duration.ofSeconds(60));
    }

    private static Map<String, String> gstEnv(String sourceAddress, Path cache) {
        return Map.of("LD_PRELOAD", TestMedia.bindShim().toString(), "BIND_ADDR", sourceAddress,
                "XDG_CACHE_HOME", cache.toString());
    }
}
