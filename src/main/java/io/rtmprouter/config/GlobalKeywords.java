package io.rtmprouter.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
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
    }

    private static final Set<String> SUPPORTED = Set.of("maxconn", "nbthread", "nosplice", "maxpipes", "noreuseport", "crt-base",
            "tune.sndbuf.client", "tune.rcvbuf.client", "tune.sndbuf.server", "tune.rcvbuf.server");
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
            default -> {
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
