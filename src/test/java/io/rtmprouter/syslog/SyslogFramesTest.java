package io.rtmprouter.syslog;

import io.rtmprouter.config.LogTarget;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Each format byte for byte as Debian's HAProxy 2.6.12 sent it to a UDP receiver. */
class SyslogFramesTest {
    private static final ZonedDateTime AT = ZonedDateTime.of(2026, 12, 2, 0, 25, 52, 543_223_000, ZoneOffset.UTC);

    private static LogTarget target(LogTarget.Format f, int facility, int level, int minLevel, int len) {
        return new LogTarget(LogTarget.Kind.UDP, null, null, len, f, facility, level, minLevel, null);
    }

    private static String frame(LogTarget t, int severity, String msg) {
        byte[] b = SyslogFrames.frame(t, severity, "haproxy", 23252, AT, msg);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void rfc3164AndRfc5424AsHaproxyWritesThem() {
        assertEquals("<134>Dec  2 00:25:52 haproxy[23252]: hello\n", frame(target(LogTarget.Format.RFC3164, 16, 7, 0,
                1024), 6, "hello"));
        assertEquals("<142>1 2026-12-02T00:25:52.543223+00:00 - haproxy 23252 - - hello\n",
                frame(target(LogTarget.Format.RFC5424, 17, 7, 0, 1024), 6, "hello"));
        assertEquals("<5>hello\n", frame(target(LogTarget.Format.SHORT, 16, 7, 0, 1024), 5, "hello"));
        assertEquals("hello\n", frame(target(LogTarget.Format.RAW, 16, 7, 0, 1024), 6, "hello"));
    }

    @Test
    void levelsFilterAndMinlevelRaisesAndLenCuts() {
        assertNull(frame(target(LogTarget.Format.RAW, 16, 5, 0, 1024), 6, "info is below notice"));
        assertEquals("<131>Dec  2 00:25:52 haproxy[23252]: x\n", frame(target(LogTarget.Format.RFC3164, 16, 7, 3, 1024),
                0, "x"), "an emerg line at minlevel err");
        assertEquals(100, frame(target(LogTarget.Format.RAW, 16, 7, 0, 100), 6, "y".repeat(500)).length());
    }
}
