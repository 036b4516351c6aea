package io.rtmprouter.proxy;

import io.rtmprouter.config.FrontendConfig;
import io.rtmprouter.proxy.route.Routing;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.tunnel.RtmptTunnels;
import io.rtmprouter.stats.TrafficCounters;
import io.rtmprouter.stick.StickTables;

import java.util.function.Consumer;

/**
 * Everything a client connection of one frontend needs, built once at start-up: its routing, the
 * log its sessions' lines go to and, in mode rtmp, its RTMPT sessions. Each stage is handed only
 * the part it uses.
 *
 * @param sessionLog  receives one line per session that is over
 * @param stickTables the tables its `track-sc` rules and counter fetches name
 * @param traffic     its FRONTEND row of `show stat`: counted as sessions start here, and as they
 *                    end through sessionLog
 */
record FrontendContext(Routing routing, Consumer<Session> sessionLog, RtmptTunnels tunnels, StickTables stickTables,
                       TrafficCounters traffic) {
    FrontendConfig frontend() {
        return routing.frontend();
    }
}
