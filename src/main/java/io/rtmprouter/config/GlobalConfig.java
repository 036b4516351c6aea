package io.rtmprouter.config;

/**
 * The `global` section. maxconn 0 means "derive from the file descriptor limit"; nbthread 0 means
 * one event loop thread per core; splice false is `nosplice`; maxpipes 0 means maxconn / 4, as in
 * HAProxy (a spliced direction holds one pipe until its session ends); reusePort false is
 * `noreuseport` (one listener per bind, one accepting thread); socketBuffers are the `tune.sndbuf.*`
 * and `tune.rcvbuf.*` sizes; stats the runtime API's sockets (`stats socket|timeout|maxconn`).
 */
public record GlobalConfig(int maxconn, int nbthread, boolean splice, int maxpipes, boolean reusePort,
                           SocketBuffers socketBuffers, StatsSocketConfig.Settings stats) {
    public GlobalConfig(int maxconn, int nbthread, boolean splice, int maxpipes, boolean reusePort) {
        this(maxconn, nbthread, splice, maxpipes, reusePort, SocketBuffers.KERNEL, StatsSocketConfig.Settings.NONE);
    }
}
