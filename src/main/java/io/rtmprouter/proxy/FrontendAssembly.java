package io.rtmprouter.proxy;

import io.netty.channel.Channel;
import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.balance.Server;
import io.rtmprouter.config.FrontendConfig;
import io.rtmprouter.config.SpliceOptions;
import io.rtmprouter.config.Timeouts;
import io.rtmprouter.proxy.relay.PipeBudget;
import io.rtmprouter.proxy.relay.RelayTerms;
import io.rtmprouter.proxy.route.BackendRoute;
import io.rtmprouter.proxy.route.Routing;
import io.rtmprouter.proxy.route.ServerConnector;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.tunnel.RtmptTunnels;
import io.rtmprouter.stats.TrafficCounters;
import io.rtmprouter.syslog.SyslogSender;
import io.rtmprouter.stick.MonotonicClock;
import io.rtmprouter.stick.StickTables;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds what the sessions of one frontend need from its configuration and the parts the router
 * shares between frontends: the backend routes with their configuration digested, the RTMPT
 * sessions, the logs. The router and the tests' embedded frontends are assembled by this same code.
 */
final class FrontendAssembly {
    /** How long a server may take to answer our RTMP handshake when `timeout connect` is unset. */
    static final Duration DEFAULT_SERVER_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

    /**
     * What every frontend of a router shares.
     *
     * @param connectors    by backend name, how its server connections are made
     * @param globalMaxconn the process's `maxconn`, a frontend's own when it sets none
     * @param spliceAllowed whether splicing may happen at all (epoll, no `nosplice`)
     * @param stickTables   every proxy's stick table, for the `track-sc` rules and counter fetches
     * @param onTunnel      told of every RTMPT session's channel, so that a shutdown reaches it
     * @param syslog        sends the session lines of frontends with `log` targets; null when none has any
     * @param processSessions the sessions of every frontend now (HAProxy's actconn)
     */
    record Shared(Map<String, BackendPool> pools, Map<String, ServerConnector> connectors,
                  int globalMaxconn, boolean spliceAllowed, PipeBudget pipes,
                  StickTables stickTables, Consumer<Channel> onTunnel, SyslogSender syslog,
                  java.util.function.LongSupplier processSessions) {
    }

    private FrontendAssembly() {
    }

    /** The frontend's `maxconn`, else the process's. */
    static int maxconn(FrontendConfig f, int globalMaxconn) {
        return f.maxconn() > 0 ? f.maxconn() : globalMaxconn;
    }

    static FrontendContext assemble(FrontendConfig f, Shared shared, Consumer<Session> sessionLog,
                                    Consumer<Session> routedLog) {
        Map<String, BackendRoute> routes = new HashMap<>();
        for (String name : f.routing().reachableBackends()) {
            BackendPool pool = shared.pools().get(name);
            Timeouts bt = pool.config().timeouts();
            Duration connect = bt.connectTimeout().orElse(null);
            routes.put(name, new BackendRoute(pool, shared.connectors().get(name), bt.queueTimeout().orElse(null),
                    pool.config().retries(), pool.config().redispatch(), BackendRoute.turnAround(connect),
                    connect != null ? connect : DEFAULT_SERVER_HANDSHAKE_TIMEOUT,
                    new RelayTerms(bt.clientInactivity(f.timeouts()).orElse(null), bt.serverInactivity().orElse(null),
                            bt.clientHalfClosed(f.timeouts()).orElse(null), bt.serverHalfClosed().orElse(null),
                            shared.spliceAllowed() ? f.splice().or(pool.config().splice()) : SpliceOptions.NONE,
                            shared.pipes())));
        }
        RtmptTunnels tunnels = new RtmptTunnels(maxconn(f, shared.globalMaxconn()), f.rtmpt(),
                f.timeouts().client() != null ? f.timeouts().client() : RtmptTunnels.DEFAULT_EXPIRY, shared.onTunnel());
        TrafficCounters traffic = new TrafficCounters(MonotonicClock.SYSTEM);
        Consumer<Session> logged = f.logging().targets().isEmpty() || shared.syslog() == null ? sessionLog
                : new SessionSyslog(f.logging(), shared.syslog(), traffic, shared.pools(), shared.processSessions(),
                        sessionLog);
        return new FrontendContext(new Routing(f, routes, routedLog),
                new SessionCounting(traffic, shared.pools(), logged), tunnels, shared.stickTables(), traffic);
    }
}
