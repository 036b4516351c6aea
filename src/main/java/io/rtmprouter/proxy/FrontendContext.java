package io.rtmprouter.proxy;

import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.balance.Server;
import io.rtmprouter.config.FrontendConfig;
import io.rtmprouter.config.SpliceOptions;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything a client connection of one frontend needs, built once at start-up.
 *
 * @param serverAddresses resolved address of each server (port 0: use the client's destination port)
 * @param splice          directions moved by the kernel (NONE without epoll or with `nosplice`)
 * @param sessionLog      receives one line per ended session
 */
record FrontendContext(FrontendConfig frontend, BackendPool pool, Map<Server, InetSocketAddress> serverAddresses,
                       ServerConnector connector, Duration clientIdle, Duration serverIdle, Duration queueTimeout,
                       SpliceOptions splice, Consumer<Session> sessionLog) {
}
