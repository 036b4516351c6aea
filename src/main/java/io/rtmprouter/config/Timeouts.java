package io.rtmprouter.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The `timeout` values of a proxy. An absent value is infinite, as in HAProxy.
 * client/server are inactivity timers; tunnel supersedes both once a connection is relayed;
 * client-fin/server-fin replace whichever applies on a side once a direction of it is shut.
 */
public record Timeouts(Duration connect, Duration client, Duration server, Duration queue,
                       Duration tunnel, Duration check, Duration httpRequest, Duration httpKeepAlive,
                       Duration clientFin, Duration serverFin) {
    public static final Timeouts NONE = new Timeouts(null, null, null, null, null, null, null, null, null, null);

    /** The timeouts without client-fin and server-fin. */
    public Timeouts(Duration connect, Duration client, Duration server, Duration queue, Duration tunnel,
                    Duration check, Duration httpRequest, Duration httpKeepAlive) {
        this(connect, client, server, queue, tunnel, check, httpRequest, httpKeepAlive, null, null);
    }

    /**
     * `timeout http-request`: how long an RTMPT client has to send one whole request (its first
     * byte to its last, not reset per byte). Unset, the frontend's inspect delay: a request is
     * what inspection waits for on the HTTP path.
     */
    public Duration httpRequest(Duration inspectDelay) {
        return httpRequest != null ? httpRequest : inspectDelay;
    }

    /** `timeout http-keep-alive`: how long a connection may wait for its next request; unset, http-request. */
    public Duration httpKeepAlive(Duration inspectDelay) {
        return httpKeepAlive != null ? httpKeepAlive : httpRequest(inspectDelay);
    }

    public Optional<Duration> connectTimeout() {
        return Optional.ofNullable(connect);
    }

    /** HAProxy: when `timeout queue` is not set, `timeout connect` applies to the queue. */
    public Optional<Duration> queueTimeout() {
        return Optional.ofNullable(queue != null ? queue : connect);
    }

    /**
     * The client side's inactivity timeout for a session of this backend: its `timeout tunnel`,
     * else the frontend's `timeout client` (tunnel is a backend setting, client a frontend one).
     */
    public Optional<Duration> clientInactivity(Timeouts frontend) {
        return Optional.ofNullable(tunnel != null ? tunnel : frontend.client);
    }

    public Optional<Duration> serverInactivity() {
        return Optional.ofNullable(tunnel != null ? tunnel : server);
    }

    /** The frontend's `timeout client-fin`: the client side's inactivity once half-closed (over tunnel too). */
    public Optional<Duration> clientHalfClosed(Timeouts frontend) {
        return Optional.ofNullable(frontend.clientFin);
    }

    /** The backend's `timeout server-fin`. */
    public Optional<Duration> serverHalfClosed() {
        return Optional.ofNullable(serverFin);
    }
}
