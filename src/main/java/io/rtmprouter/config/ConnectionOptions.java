package io.rtmprouter.config;

/**
 * Socket options of one side's connections, from `option clitcpka|srvtcpka|tcpka` and
 * `option nolinger`.
 *
 * @param keepAlive TCP keep-alive probes (SO_KEEPALIVE, the kernel's timers)
 * @param noLinger  close with a reset (SO_LINGER 0) instead of a FIN after the unsent bytes
 */
public record ConnectionOptions(boolean keepAlive, boolean noLinger) {
    public static final ConnectionOptions DEFAULT = new ConnectionOptions(false, false);
}
