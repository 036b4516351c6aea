package io.rtmprouter.proxy.route;

import io.rtmprouter.config.FrontendConfig;
import io.rtmprouter.proxy.session.Session;

import java.util.Map;
import java.util.function.Consumer;

/**
 * What choosing a server for a session of one frontend takes, built once at start-up.
 *
 * @param routes          by backend name, every backend this frontend's rules can pick
 * @param routedLog       receives one line per session when its server is ready (mode rtmp)
 */
public record Routing(FrontendConfig frontend, Map<String, BackendRoute> routes, Consumer<Session> routedLog) {
    public Routing {
        routes = Map.copyOf(routes);
    }
}
