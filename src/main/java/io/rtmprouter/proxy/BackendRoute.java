package io.rtmprouter.proxy;

import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.config.SpliceOptions;

import java.time.Duration;

/**
 * What a session of one frontend needs once it is sent to one backend, built at start-up for
 * every backend the frontend can reach (its default_backend and use_backend targets).
 *
 * @param clientIdle the backend's `timeout tunnel`, else the frontend's `timeout client`
 * @param splice     directions moved by the kernel (NONE without epoll)
 * @param pipes      the process's `maxpipes`, shared by every route
 */
record BackendRoute(BackendPool pool, ServerConnector connector, Duration clientIdle, Duration serverIdle,
                    Duration queueTimeout, Duration serverHandshakeTimeout, SpliceOptions splice, PipeBudget pipes) {
}
