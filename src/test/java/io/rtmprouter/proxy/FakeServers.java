package io.rtmprouter.proxy;

import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.stick.MonotonicClock;
import io.rtmprouter.stick.StickTables;
import io.rtmprouter.balance.Server;
import io.rtmprouter.config.ConfigParser;
import io.rtmprouter.config.FrontendConfig;
import io.rtmprouter.config.RouterConfig;
import io.rtmprouter.proxy.relay.PipeBudget;
import io.rtmprouter.proxy.route.ServerConnector;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.tunnel.RtmptTunnels;

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

    /** How long an RTMPT session lives without a request: the frontends here set no `timeout client`. */
    static final Duration RTMPT_EXPIRY = RtmptTunnels.DEFAULT_EXPIRY;

    final List<Attempt> attempts = new ArrayList<>();
    final List<Session> logged = new ArrayList<>();
    final List<String> routed = new ArrayList<>();
    final Map<String, BackendPool> pools = new HashMap<>();
    final FrontendContext fc;

    FakeServers(String configText) throws Exception {
        this(configText, 100);
    }

    /** @param maxRtmptSessions the process's maxconn: how many RTMPT sessions a frontend without its own may hold */
    FakeServers(String configText, int maxRtmptSessions) throws Exception {
        RouterConfig c = ConfigParser.parse("t.cfg", configText);
        StickTables tables = new StickTables(c.stickTables(), MonotonicClock.SYSTEM);
        pools.putAll(BackendPool.of(c.backends().values(), tables));
        for (BackendPool pool : pools.values()) {
            for (Server s : pool.servers()) {
                s.address(new InetSocketAddress(s.config().host(), s.config().port()));
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
        Map<String, ServerConnector> connectors = new HashMap<>();
        pools.keySet().forEach(name -> connectors.put(name, connector));
        // Assembled as the router assembles it; without epoll, so nothing is spliced.
        var shared = new FrontendAssembly.Shared(pools, connectors, maxRtmptSessions, false,
                new PipeBudget(0), tables, ch -> { }, null, () -> 0);
        fc = FrontendAssembly.assemble(f, shared, logged::add, s -> routed.add(s.routedLine()));
    }

    EmbeddedClient client(String ip) {
        return new EmbeddedClient(ip, fc);
    }

    /** A client of an `accept-proxy` bind: its first bytes must be a PROXY header. */
    EmbeddedClient proxiedClient(String ip) {
        return new EmbeddedClient(ip, fc, true);
    }

    Attempt attempt(int i) {
        return attempts.get(i);
    }

    String lastLog() {
        return logged.get(logged.size() - 1).logLine();
    }
}
