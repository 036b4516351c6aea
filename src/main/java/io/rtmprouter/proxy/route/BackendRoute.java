package io.rtmprouter.proxy.route;

import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.proxy.relay.RelayTerms;

import java.time.Duration;

/**
 * What a session of one frontend needs once it is sent to one backend, built at start-up for
 * every backend the frontend can reach (its default_backend and use_backend targets), with the
 * backend's configuration digested: nothing is read from it per session.
 *
 * @param queueTimeout           `timeout queue`; null: none
 * @param retries                `retries`: further attempts after a failed one
 * @param redispatch             `option redispatch`: the last retry goes to another server
 * @param turnAround             the wait before retrying the same server: min(1 s, `timeout connect`), as in HAProxy
 * @param serverHandshakeTimeout how long the server may take to answer the router's RTMP handshake
 * @param relay                  how the relay runs once the server is ready
 */
public record BackendRoute(BackendPool pool, ServerConnector connector, Duration queueTimeout, int retries,
                           boolean redispatch, Duration turnAround, Duration serverHandshakeTimeout, RelayTerms relay) {
    /** HAProxy's turn-around: a restarting server gets a moment before it is tried again. */
    static final Duration MAX_TURN_AROUND = Duration.ofSeconds(1);

    /** The turn-around for a backend whose `timeout connect` is `connectTimeout` (null: unset). */
    public static Duration turnAround(Duration connectTimeout) {
        return connectTimeout == null || connectTimeout.compareTo(MAX_TURN_AROUND) > 0 ? MAX_TURN_AROUND : connectTimeout;
    }
}
