package io.rtmprouter.syslog;

import io.rtmprouter.config.LogTarget;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A log line as HAProxy writes it for a target (measured from Debian's 2.6.12 with a UDP
 * receiver): rfc3164 `<PRI>Mmm dd HH:MM:SS TAG[PID]: MSG`, rfc5424 `<PRI>1 TIMESTAMP - TAG PID - -
 * MSG`, short `<SEVERITY>MSG`, raw `MSG`; each ends with a newline and is cut to the target's
 * `len`. PRI is facility x 8 + severity.
 */
public final class SyslogFrames {
    private static final DateTimeFormatter RFC3164 = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);
    private static final DateTimeFormatter RFC5424 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx",
            Locale.ENGLISH);

    private SyslogFrames() {
    }

    /**
     * The bytes to send, or null when the target does not take this severity.
     *
     * @param severity syslog's: 0 emerg .. 7 debug
     */
    public static byte[] frame(LogTarget target, int severity, String tag, long pid, ZonedDateTime now, String message) {
        if (severity > target.level()) {
            return null;
        }
        // HAProxy's minlevel: a line more severe than it is sent at it.
        int sev = Math.min(7, Math.max(severity, target.minLevel()));
        int pri = target.facility() * 8 + sev;
        String header = switch (target.format()) {
            case RFC3164 -> "<" + pri + ">" + RFC3164.format(now) + " " + tag + "[" + pid + "]: ";
            case RFC5424 -> "<" + pri + ">1 " + RFC5424.format(now) + " - " + tag + " " + pid + " - - ";
            case SHORT -> "<" + sev + ">";
            case RAW -> "";
        };
        String line = header + message;
        // The whole line, header and newline included, within `len`, as HAProxy cuts it.
        if (line.length() + 1 > target.maxLength()) {
            line = line.substring(0, Math.max(0, target.maxLength() - 1));
        }
        return (line + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
