package io.rtmprouter.proxy;

import io.rtmprouter.config.RouterConfig;
import io.rtmprouter.proxy.transport.Transport;

import java.lang.management.ManagementFactory;

/**
 * The process-wide limits, sized as HAProxy sizes them: event loop threads, `maxconn` (from the
 * file descriptor limit when unset) and `maxpipes`.
 */
record ProcessLimits(int threads, int maxconn, int maxpipes) {
    static ProcessLimits of(RouterConfig config, Transport transport) {
        int threads = config.global().nbthread() > 0 ? config.global().nbthread()
                : Runtime.getRuntime().availableProcessors();
        int maxconn = config.global().maxconn() > 0 ? config.global().maxconn()
                : maxconnFromFileLimit(openFileLimit(), splices(config, transport), config.global().maxpipes());
        int maxpipes = config.global().maxpipes() > 0 ? config.global().maxpipes() : defaultMaxpipes(maxconn);
        return new ProcessLimits(threads, maxconn, maxpipes);
    }

    /**
     * HAProxy derives maxconn from the file descriptor limit: a session holds two sockets, and the
     * pipes of spliced directions (two descriptors each) come from `maxpipes`, maxconn / 4 unless
     * set, so a splicing configuration budgets 2.5 descriptors per session.
     */
    static int maxconnFromFileLimit(long openFiles, boolean splicing, int maxpipes) {
        long usable = openFiles - 100;
        long sessions;
        if (!splicing) {
            sessions = usable / 2;
        } else if (maxpipes > 0) {
            sessions = (usable - 2L * maxpipes) / 2;
        } else {
            sessions = usable * 2 / 5;
        }
        return (int) Math.max(1, Math.min(1_000_000, sessions));
    }

    static int defaultMaxpipes(int maxconn) {
        return Math.max(1, maxconn / 4);
    }

    static long openFileLimit() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean u ? u.getMaxFileDescriptorCount() : 4096;
    }

    /** Whether some frontend or backend may splice (and `nosplice` or a missing epoll does not forbid it). */
    static boolean splices(RouterConfig config, Transport transport) {
        return config.global().splice() && transport.isEpoll()
                && (config.frontends().stream().anyMatch(f -> f.splice().any())
                || config.backends().values().stream().anyMatch(b -> b.splice().any()));
    }
}
