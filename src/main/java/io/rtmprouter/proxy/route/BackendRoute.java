package io.rtmprouter.proxy.route;

import io.rtmprouter.proxy.relay.RelayTerms;
import io.rtmprouter.balance.BackendPool;

import java.time.Duration;

/**
 * What a session of one frontend needs once it is sent to one backend, built at start-up for
 * every backend the frontend can reach (its default_backend and use_backend targets).
 *
 * @param queueTimeout           `timeout queue`; null: `timeout connect`'s, as in HAProxy
 * @param serverHandshakeTimeout how long the server may take to answer the router's RTMP handshake
 * @param relay                  how the relay runs once the server is connected
 */
public record BackendRoute(BackendPool pool, ServerConnector connector, Duration queueTimeout, Duration serverHandshakeTimeout,
                    RelayTerms relay) {
}
