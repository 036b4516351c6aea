package io.rtmprouter.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/** The global `stats` lines: `stats socket ADDR [params]`, `stats timeout T`, `stats maxconn N`. */
final class StatsKeywords {
    private StatsKeywords() {
    }

    static void apply(GlobalKeywords.Draft g, LineWords w, SourceLocation where, List<String> warnings)
            throws ConfigException {
        String what = ProxyKeywords.arg(w, 1, where);
        switch (what) {
            case "socket" -> g.statsSockets.add(socket(w, where, warnings));
            case "timeout" -> {
                var t = Values.duration(ProxyKeywords.arg(w, 2, where), where, "stats timeout");
                if (t.isZero()) {
                    throw new ConfigException(where, "'stats timeout' expects a positive value");
                }
                g.statsTimeout = t;
            }
            case "maxconn" -> g.statsMaxconn = Values.integer(ProxyKeywords.arg(w, 2, where), where, "stats maxconn", 1,
                    1_000_000);
            default -> throw new ConfigException(where, "'stats' in 'global' takes 'socket', 'timeout' or 'maxconn'"
                    + " (got '" + what + "')");
        }
    }

    private static StatsSocketConfig socket(LineWords w, SourceLocation where, List<String> warnings)
            throws ConfigException {
        String addr = ProxyKeywords.arg(w, 2, where);
        String path = null;
        InetSocketAddress tcp = null;
        if (addr.startsWith("unix@")) {
            path = addr.substring(5);
        } else if (addr.startsWith("abns@") || addr.startsWith("fd@") || addr.startsWith("sockpair@")) {
            throw Unsupported.keyword(where, "'stats socket " + addr + "' (only UNIX paths and ipv4@/ipv6@ addresses)");
        } else if (addr.startsWith("/") || !addr.contains(":")) {
            path = addr;
        } else {
            Addresses.HostPort hp = Addresses.parse(addr, where, false);
            if (hp.portFrom() == 0) {
                throw new ConfigException(where, "'stats socket " + addr + "' : missing port specification");
            }
            tcp = new InetSocketAddress(literal(hp.host() == null ? "0.0.0.0" : hp.host(), addr, where), hp.portFrom());
        }
        int mode = -1;
        String user = null;
        String group = null;
        String level = "operator";
        for (int i = 3; i < w.size(); i++) {
            String p = w.get(i);
            switch (p) {
                case "mode" -> {
                    String v = ProxyKeywords.arg(w, ++i, where);
                    try {
                        mode = Integer.parseInt(v, 8);
                    } catch (NumberFormatException e) {
                        throw new ConfigException(where, "'mode' : '" + v + "' is not an octal mode");
                    }
                }
                case "user", "uid" -> user = ProxyKeywords.arg(w, ++i, where);
                case "group", "gid" -> group = ProxyKeywords.arg(w, ++i, where);
                case "level" -> {
                    level = ProxyKeywords.arg(w, ++i, where);
                    if (!List.of("user", "operator", "admin").contains(level)) {
                        throw new ConfigException(where, "'level' only supports 'user', 'operator', and 'admin'.");
                    }
                }
                case "expose-fd" -> {
                    // Passes the listening sockets to a new process at reload: nothing on the wire.
                    ProxyKeywords.arg(w, ++i, where);
                    warnings.add(Warnings.ignored(where, "stats socket parameter 'expose-fd'"));
                }
                case "process", "thread" -> {
                    ProxyKeywords.arg(w, ++i, where);
                    warnings.add(Warnings.ignored(where, "stats socket parameter '" + p + "'"));
                }
                default -> throw Unsupported.keyword(where, "stats socket parameter '" + p + "'");
            }
        }
        return new StatsSocketConfig(path, tcp, mode, user, group, level, where);
    }

    private static InetAddress literal(String host, String addr, SourceLocation where) throws ConfigException {
        if (!Addresses.isIpLiteral(host)) {
            throw new ConfigException(where, "'stats socket " + addr + "' : rtmp-router takes an IP address here,"
                    + " not a name");
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
