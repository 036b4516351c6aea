package io.rtmprouter.proxy;

import io.rtmprouter.config.FrontendConfig;
import io.rtmprouter.proxy.route.Routing;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.tunnel.RtmptTunnels;
import io.rtmprouter.stick.StickTables;

import java.util.function.Consumer;

/**
 * Everything a client connection of one frontend needs, built once at start-up: its routing, the
 * log its sessions' lines go to and, in mode rtmp, its RTMPT sessions. Each stage is handed only
 * the part it uses.
 *
 * @param sessionLog  receives one line per session that is over
 * @param stickTables the tables its `track-sc` rules and counter fetches name
 */
record FrontendContext(Routing routing, Consumer<Session> sessionLog, RtmptTunnels tunnels, StickTables stickTables) {
    FrontendConfig frontend() {
        return routing.frontend();
    }
}
