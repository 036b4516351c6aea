package io.rtmprouter.proxy;

import io.rtmprouter.proxy.relay.PipeBudget;
import io.rtmprouter.proxy.relay.RelayTerms;
import io.rtmprouter.proxy.route.BackendRoute;
import io.rtmprouter.proxy.route.Routing;
import io.rtmprouter.proxy.route.ServerConnector;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.tunnel.RtmptTunnels;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.balance.MonotonicClock;
import io.rtmprouter.balance.Server;
import io.rtmprouter.config.BackendConfig;
import io.rtmprouter.config.ConfigParser;
import io.rtmprouter.config.FrontendConfig;
import io.rtmprouter.config.RouterConfig;
import io.rtmprouter.config.SpliceOptions;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A frontend built from configuration text whose server connections are EmbeddedChannels that
 * the test completes (or fails) by hand; it records every attempt and every logged session.
 */
final class FakeServers {
    /** A mode rtmp frontend (inspect-delay 3 s) in front of one server: enough for the stages before routing. */
    static final String ONE_RTMP_SERVER = """
            frontend f
             mode rtmp
             bind :1935
             tcp-request inspect-delay 3s
             default_backend pool
            backend pool
             mode rtmp
             server a 10.0.0.1:1935
            """;

    /** One server connection attempt, completed by the test. */
    record Attempt(InetSocketAddress target, EmbeddedChannel server, ChannelPromise promise) {
    }

    /** How long an RTMPT session lives without a request, as if `timeout client 30s` were set. */
    static final Duration RTMPT_EXPIRY = Duration.ofSeconds(30);

    final List<Attempt> attempts = new ArrayList<>();
    final List<Session> logged = new ArrayList<>();
    final List<String> routed = new ArrayList<>();
    final Map<String, BackendPool> pools = new HashMap<>();
    final FrontendContext fc;

    FakeServers(String configText) throws Exception {
        this(configText, 100);
    }

    /** @param maxRtmptSessions how many RTMPT sessions the frontend may hold at once */
    FakeServers(String configText, int maxRtmptSessions) throws Exception {
        RouterConfig c = ConfigParser.parse("t.cfg", configText);
        pools.putAll(BackendPool.of(c.backends().values(), MonotonicClock.SYSTEM));
        Map<Server, InetSocketAddress> addresses = new HashMap<>();
        for (BackendPool pool : pools.values()) {
            for (Server s : pool.servers()) {
                addresses.put(s, new InetSocketAddress(s.config().host(), s.config().port()));
            }
        }
        ServerConnector connector = (client, target, counter) -> {
            EmbeddedChannel server = new EmbeddedChannel();
            server.config().setAutoRead(false);
            ChannelPromise p = server.newPromise();
            attempts.add(new Attempt(target, server, p));
            return p;
        };
        FrontendConfig f = c.frontends().get(0);
        Map<String, BackendRoute> routes = new HashMap<>();
        for (String name : f.routing().reachableBackends()) {
            BackendConfig b = pools.get(name).config();
            routes.put(name, new BackendRoute(pools.get(name), connector, b.timeouts().queueTimeout().orElse(null),
                    b.retries(), b.redispatch(), BackendRoute.turnAround(b.timeouts().connectTimeout().orElse(null)),
                    b.timeouts().connectTimeout().orElse(Duration.ofSeconds(5)),
                    new RelayTerms(null, null, SpliceOptions.NONE, new PipeBudget(0))));
        }
        fc = new FrontendContext(new Routing(f, routes, addresses, s -> routed.add(s.routedLine())), logged::add,
                new RtmptTunnels(maxRtmptSessions, f.rtmpt(), RTMPT_EXPIRY, ch -> { }));
    }

    EmbeddedClient client(String ip) {
        return new EmbeddedClient(ip, fc);
    }

    Attempt attempt(int i) {
        return attempts.get(i);
    }

    String lastLog() {
        return logged.get(logged.size() - 1).logLine();
    }
}
