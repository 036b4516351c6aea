package io.rtmprouter.config;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * One `log` line: where HAProxy-style log lines go (a syslog server over UDP, a UNIX datagram
 * socket such as /dev/log, or stdout/stderr), how long a line may be, its format, its facility,
 * and which levels it takes.
 *
 * @param maxLength `len`: longer lines are cut (HAProxy's default 1024)
 * @param facility  syslog facility number (local0 = 16)
 * @param level     the least severe level sent (syslog numbers: 7 debug .. 0 emerg)
 * @param minLevel  the most severe level a line is sent at: more severe ones are sent at this one
 */
public record LogTarget(Kind kind, InetSocketAddress udp, String path, int maxLength, Format format, int facility,
                        int level, int minLevel, SourceLocation where) {
    public enum Kind { UDP, UNIX, STDOUT, STDERR }

    public enum Format { RFC3164, RFC5424, RAW, SHORT }

    /** What a proxy logs: its targets, its tag, and `option tcplog` / `dontlognull`. */
    public record Settings(List<LogTarget> targets, String tag, boolean tcplog, boolean dontLogNull) {
        public static final Settings NONE = new Settings(List.of(), "rtmp-router", false, false);

        public Settings {
            targets = List.copyOf(targets);
        }
    }

    /** Syslog's severities, by HAProxy's names. */
    static final List<String> LEVELS = List.of("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug");
    static final List<String> FACILITIES = List.of("kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
            "uucp", "cron", "auth2", "ftp", "ntp", "audit", "alert", "cron2", "local0", "local1", "local2", "local3",
            "local4", "local5", "local6", "local7");
}
