package io.rtmprouter.proxy.relay;

import io.rtmprouter.config.SpliceOptions;

import java.time.Duration;

/**
 * How the relay of one backend's sessions runs, digested at start-up.
 *
 * @param clientIdle the backend's `timeout tunnel`, else the frontend's `timeout client`; null: none
 * @param serverIdle `timeout tunnel`, else `timeout server`; null: none
 * @param clientFin  `timeout client-fin`: the client's inactivity once the server's FIN was passed on to it; null: clientIdle
 * @param serverFin  `timeout server-fin`, the same on the server side
 * @param splice     directions moved by the kernel (NONE without epoll)
 * @param pipes      the process's `maxpipes`, shared by every route
 */
public record RelayTerms(Duration clientIdle, Duration serverIdle, Duration clientFin, Duration serverFin,
                         SpliceOptions splice, PipeBudget pipes) {
    public RelayTerms(Duration clientIdle, Duration serverIdle, SpliceOptions splice, PipeBudget pipes) {
        this(clientIdle, serverIdle, null, null, splice, pipes);
    }
}
