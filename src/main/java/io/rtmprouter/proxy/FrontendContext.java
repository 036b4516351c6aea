package io.rtmprouter.proxy;

import io.rtmprouter.proxy.route.Routing;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.tunnel.RtmptTunnels;
import io.rtmprouter.config.FrontendConfig;

import java.util.function.Consumer;

/**
 * Everything a client connection of one frontend needs, built once at start-up: its routing and,
 * in mode rtmp, its RTMPT sessions. Each stage is handed only the part it uses.
 */
record FrontendContext(Routing routing, RtmptTunnels tunnels) {
    FrontendConfig frontend() {
        return routing.frontend();
    }

    Consumer<Session> sessionLog() {
        return routing.sessionLog();
    }
}
