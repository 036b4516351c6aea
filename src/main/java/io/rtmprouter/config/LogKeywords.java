package io.rtmprouter.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** `log TARGET [len N] [format F] [sample R:S] FACILITY [LEVEL [MINLEVEL]]`, as HAProxy reads it. */
final class LogKeywords {
    private LogKeywords() {
    }

    static LogTarget target(LineWords w, SourceLocation where) throws ConfigException {
        String t = ProxyKeywords.arg(w, 1, where);
        LogTarget.Kind kind;
        InetSocketAddress udp = null;
        String path = null;
        if (t.equals("stdout")) {
            kind = LogTarget.Kind.STDOUT;
        } else if (t.equals("stderr")) {
            kind = LogTarget.Kind.STDERR;
        } else if (t.startsWith("/") || t.startsWith("unix@")) {
            kind = LogTarget.Kind.UNIX;
            path = t.startsWith("unix@") ? t.substring(5) : t;
        } else if (t.startsWith("ring@") || t.startsWith("fd@") || t.startsWith("tcp@") || t.startsWith("abns@")) {
            throw Unsupported.keyword(where, "'log " + t + "' (UDP addresses, UNIX paths, stdout and stderr are)");
        } else {
            String a = t.startsWith("udp@") || t.startsWith("udp4@") || t.startsWith("udp6@")
                    ? t.substring(t.indexOf('@') + 1) : t;
            Addresses.HostPort hp = Addresses.parse(a, where, false);
            if (hp.host() == null || !Addresses.isIpLiteral(hp.host())) {
                throw new ConfigException(where, "'log " + t + "' : rtmp-router takes an IP address here, not a name");
            }
            kind = LogTarget.Kind.UDP;
            udp = new InetSocketAddress(literal(hp.host()), hp.portFrom() == 0 ? 514 : hp.portFrom());
        }
        int len = 1024;
        LogTarget.Format format = LogTarget.Format.RFC3164;
        int i = 2;
        while (true) {
            String o = ProxyKeywords.arg(w, i, where);
            if (o.equals("len")) {
                len = Values.integer(ProxyKeywords.arg(w, i + 1, where), where, "len", 80, 65535);
            } else if (o.equals("format")) {
                String f = ProxyKeywords.arg(w, i + 1, where);
                format = switch (f) {
                    case "rfc3164" -> LogTarget.Format.RFC3164;
                    case "rfc5424" -> LogTarget.Format.RFC5424;
                    case "raw" -> LogTarget.Format.RAW;
                    case "short" -> LogTarget.Format.SHORT;
                    default -> throw Unsupported.keyword(where, "log format '" + f + "' (rfc3164, rfc5424, raw and"
                            + " short are)");
                };
            } else if (o.equals("sample")) {
                throw Unsupported.keyword(where, "log 'sample'");
            } else {
                break;
            }
            i += 2;
        }
        String facility = w.get(i);
        int fac = LogTarget.FACILITIES.indexOf(facility);
        if (fac < 0) {
            throw new ConfigException(where, "unknown log facility '" + facility + "'"
                    + Suggestions.hint(facility, LogTarget.FACILITIES));
        }
        int level = 7;
        int minLevel = 0;
        if (w.peek(i + 1) != null) {
            level = level(w.get(i + 1), where);
        }
        if (w.peek(i + 2) != null) {
            minLevel = level(w.get(i + 2), where);
        }
        return new LogTarget(kind, udp, path, len, format, fac, level, minLevel, where);
    }

    private static int level(String l, SourceLocation where) throws ConfigException {
        int n = LogTarget.LEVELS.indexOf(l);
        if (n < 0) {
            throw new ConfigException(where, "unknown optional log level '" + l + "'"
                    + Suggestions.hint(l, LogTarget.LEVELS));
        }
        return n;
    }

    private static InetAddress literal(String host) {
        try {
            return InetAddress.getByName(host); // checked as a literal: no look-up
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
