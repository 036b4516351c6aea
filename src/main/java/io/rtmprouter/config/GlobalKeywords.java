package io.rtmprouter.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Applies one line of the `global` section. */
final class GlobalKeywords {
    static final class Draft {
        int maxconn;
        int nbthread;
        boolean splice = true;
        int maxpipes;
        boolean reusePort = true;
        int sndbufClient;
        int rcvbufClient;
        int sndbufServer;
        int rcvbufServer;
        /** `crt-base`: prefixes relative `crt` paths of the bind lines that follow it. */
        Path crtBase;
        /** What `"${NAME}"` expands to: the process's environment as `setenv` and its kin leave it. */
        final Map<String, String> environment = new HashMap<>();
        /** `zero-warning`: any warning makes the configuration fail, as in HAProxy. */
        boolean zeroWarning;
        /** `log` lines, for the proxies that say `log global`, and `log-tag`. */
        final List<LogTarget> logs = new java.util.ArrayList<>();
        String logTag = LogTarget.Settings.NONE.tag();
        /** `stats socket|timeout|maxconn`: the runtime API. */
        final List<StatsSocketConfig> statsSockets = new java.util.ArrayList<>();
        java.time.Duration statsTimeout = StatsSocketConfig.Settings.NONE.timeout();
        int statsMaxconn = StatsSocketConfig.Settings.NONE.maxconn();
        /** Where an `ssl-default-bind-*` line is: harmless until a bind uses ssl (then refused). */
        SourceLocation sslBindDefaults;
    }

    static final Set<String> SUPPORTED = Set.of("maxconn", "nbthread", "nosplice", "maxpipes", "noreuseport", "crt-base",
            "tune.sndbuf.client", "tune.rcvbuf.client", "tune.sndbuf.server", "tune.rcvbuf.server", "setenv",
            "presetenv", "unsetenv", "resetenv", "zero-warning", "stats", "log", "log-tag");
    /** Linux caps what it grants at net.core.[rw]mem_max; HAProxy takes any positive int. */
    private static final int MAX_SOCKET_BUFFER = Integer.MAX_VALUE / 2;
    /** Process-management and logging keywords of HAProxy that rtmp-router leaves to its host, by their words. */
    private static final Map<String, Integer> IGNORED = IgnoredKeywords.GLOBAL;

    private GlobalKeywords() {
    }

    static void apply(Draft g, LineWords w, SourceLocation where, List<String> warnings) throws ConfigException {
        String kw = w.get(0);
        if (IGNORED.containsKey(kw)) {
            warnings.add(Warnings.ignored(where, "global '" + kw + "'"));
            IgnoredKeywords.take(w, IGNORED, where);
            if (kw.startsWith("ssl-default-bind-")) {
                g.sslBindDefaults = where;
            }
            return;
        }
        switch (kw) {
            case "maxconn" -> g.maxconn = Values.integer(value(w, where), where, kw, 1, 10_000_000);
            case "nbthread" -> g.nbthread = Values.integer(value(w, where), where, kw, 1, 4096);
            case "nosplice" -> g.splice = false;
            case "noreuseport" -> g.reusePort = false;
            case "maxpipes" -> g.maxpipes = Values.integer(value(w, where), where, kw, 1, 10_000_000);
            case "tune.sndbuf.client" -> g.sndbufClient = Values.integer(value(w, where), where, kw, 1, MAX_SOCKET_BUFFER);
            case "tune.rcvbuf.client" -> g.rcvbufClient = Values.integer(value(w, where), where, kw, 1, MAX_SOCKET_BUFFER);
            case "tune.sndbuf.server" -> g.sndbufServer = Values.integer(value(w, where), where, kw, 1, MAX_SOCKET_BUFFER);
            case "tune.rcvbuf.server" -> g.rcvbufServer = Values.integer(value(w, where), where, kw, 1, MAX_SOCKET_BUFFER);
            case "crt-base" -> {
                try {
                    g.crtBase = Path.of(value(w, where));
                } catch (InvalidPathException e) {
                    throw new ConfigException(where, "invalid 'crt-base' path '" + w.get(1) + "': " + e.getReason());
                }
            }
            case "setenv" -> g.environment.put(value(w, where), ProxyKeywords.arg(w, 2, where));
            case "presetenv" -> g.environment.putIfAbsent(value(w, where), ProxyKeywords.arg(w, 2, where));
            case "unsetenv" -> {
                value(w, where);
                w.readAll();
                g.environment.keySet().removeAll(w.subList(1, w.size()));
            }
            case "resetenv" -> {
                w.readAll();
                g.environment.keySet().retainAll(w.subList(1, w.size()));
            }
            case "zero-warning" -> g.zeroWarning = true;
            case "stats" -> StatsKeywords.apply(g, w, where, warnings);
            case "log" -> g.logs.add(LogKeywords.target(w, where));
            case "log-tag" -> g.logTag = value(w, where);
            case "nbproc" -> throw new ConfigException(where, "'nbproc' is not supported any more since HAProxy 2.5"
                    + " (HAProxy refuses it too); threads: 'nbthread'");
            default -> {
                if (HaproxyKeywords.knows(HaproxyKeywords.Place.GLOBAL, kw)) {
                    throw Unsupported.keyword(where, "global '" + kw + "'");
                }
                var known = new TreeSet<>(SUPPORTED);
                known.addAll(IGNORED.keySet());
                throw new ConfigException(where, "unknown keyword '" + kw + "' in 'global' section"
                        + Suggestions.hint(kw, known));
            }
        }
    }

    private static String value(List<String> w, SourceLocation where) throws ConfigException {
        if (w.size() < 2) {
            throw new ConfigException(where, "'" + w.get(0) + "' expects a value");
        }
        return w.get(1);
    }
}
