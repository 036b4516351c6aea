package io.rtmprouter.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.stick.MonotonicClock;
import io.rtmprouter.stick.StickTables;
import io.rtmprouter.balance.Server;
import io.rtmprouter.config.BackendConfig;
import io.rtmprouter.config.BindConfig;
import io.rtmprouter.config.FrontendConfig;
import io.rtmprouter.config.RouterConfig;
import io.rtmprouter.config.ServerConfig;
import io.rtmprouter.config.SocketBuffers;
import io.rtmprouter.config.Timeouts;
import io.rtmprouter.health.HealthChecker;
import io.rtmprouter.resolve.DnsResolvers;
import io.rtmprouter.syslog.SyslogSender;
import io.rtmprouter.log.LogLine;
import io.rtmprouter.proxy.accept.ConnectionSlots;
import io.rtmprouter.proxy.relay.PipeBudget;
import io.rtmprouter.proxy.route.ServerConnector;
import io.rtmprouter.proxy.route.SocketServerConnector;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.session.Termination;
import io.rtmprouter.proxy.transport.Transport;
import io.rtmprouter.proxy.tunnel.RtmptTunnels;
import io.rtmprouter.proxy.tunnel.TunnelChannel;
import io.rtmprouter.tls.TlsBinds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A running configuration, from start to stop: it sizes the process ({@link ProcessLimits}),
 * builds the backend pools and each frontend ({@link FrontendAssembly}), binds the listeners
 * ({@link Listeners}), runs the health checks, and ends every session when it stops.
 */
public final class Router implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("router");
    private static final Logger SESSIONS = LoggerFactory.getLogger("session");

    private final Transport transport;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final Map<String, BackendPool> pools = new LinkedHashMap<>();
    private final List<HealthChecker> checkers = new ArrayList<>();
    private final List<DnsResolvers> resolvers = new ArrayList<>();
    private final Listeners listeners;
    private final List<RtmptTunnels> tunnels = new ArrayList<>();
    private final List<FrontendStats> frontendStats = new ArrayList<>();
    private StickTables tables = StickTables.NONE;
    /** Sends to `log` targets; null when no frontend has any. */
    private SyslogSender syslog;
    private final long startedAtMillis = System.currentTimeMillis();
    private final long startedAtNanos = System.nanoTime();
    private final ChannelGroup clients = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    private final int globalMaxconn;
    private final PipeBudget pipes;
    private final boolean reusePort;
    private final int threads;
    private final SocketBuffers socketBuffers;

    private Router(Transport transport, int threads, int globalMaxconn, int maxpipes, boolean reusePort,
                   SocketBuffers socketBuffers) {
        this.threads = threads;
        this.socketBuffers = socketBuffers;
        this.reusePort = reusePort && transport.isEpoll();
        this.transport = transport;
        this.acceptors = this.reusePort ? null : transport.newGroup(1, "accept");
        this.workers = transport.newGroup(threads, "worker");
        this.globalMaxconn = globalMaxconn;
        this.pipes = new PipeBudget(maxpipes);
        this.listeners = new Listeners(transport, acceptors, workers, this.reusePort, socketBuffers, clients);
    }

    public static Router start(RouterConfig config) throws StartupException {
        return start(config, Transport.best());
    }

    public static Router start(RouterConfig config, Transport transport) throws StartupException {
        for (BackendConfig b : config.backends().values()) {
            if (b.source() != null && b.source().useClientIp()) {
                TransparentProxyCheck.verify(b, transport);
            }
        }
        ProcessLimits limits = ProcessLimits.of(config, transport);
        Router r = new Router(transport, limits.threads(), limits.maxconn(), limits.maxpipes(),
                config.global().reusePort(), config.global().socketBuffers());
        try {
            r.build(config);
        } catch (StartupException | RuntimeException e) {
            r.close();
            throw e;
        }
        return r;
    }

    private void build(RouterConfig config) throws StartupException {
        tables = new StickTables(config.stickTables(), MonotonicClock.SYSTEM);
        pools.putAll(BackendPool.of(config.backends().values(), tables));
        for (BackendPool pool : pools.values()) {
            for (Server s : pool.servers()) {
                ServerAddresses.Found found = ServerAddresses.of(s.config(), InetAddress::getByName);
                if (found.address() != null) {
                    s.address(found.address());
                    continue;
                }
                // init-addr none: as HAProxy, the server starts in (resolution) maintenance and takes no
                // traffic, until its resolvers, if it has any, find it an address.
                pool.setUnresolved(s, true);
                if (found.fellBack()) {
                    LOG.warn("{}", new LogLine().add("event", "config_warning").add("msg", s.config().where() + ": '"
                            + "server " + s.qualifiedName() + "' : could not resolve address '" + s.config().host()
                            + "', disabling server."));
                }
            }
        }
        ConnectionSlots global = new ConnectionSlots("global", globalMaxconn);
        Map<String, ServerConnector> connectors = new HashMap<>();
        for (BackendPool pool : pools.values()) {
            connectors.put(pool.name(), new SocketServerConnector(transport, pool.config(), socketBuffers));
        }
        // Every certificate is read before any port is bound: a bad PEM stops the start with nothing open.
        TlsBinds tls = TlsBinds.load(config.frontends());
        if (!tls.errors().isEmpty()) {
            throw new StartupException(tls.errors().get(0).getMessage(), tls.errors().get(0));
        }
        List<io.rtmprouter.config.LogTarget> allTargets = new ArrayList<>();
        config.frontends().forEach(f -> allTargets.addAll(f.logging().targets()));
        config.backends().values().forEach(b -> allTargets.addAll(b.logging().targets()));
        if (!allTargets.isEmpty()) {
            if (!transport.isEpoll() && allTargets.stream().anyMatch(t -> t.kind() == io.rtmprouter.config.LogTarget.Kind.UNIX)) {
                throw new StartupException("'log' to a UNIX socket needs the epoll transport", null);
            }
            try {
                syslog = new SyslogSender();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupException("interrupted while opening the log socket", e);
            }
        }
        for (BackendPool pool : pools.values()) {
            var logging = pool.config().logging();
            if (syslog != null && !logging.targets().isEmpty()) {
                SyslogSender sender = syslog;
                pool.announceTo((severity, message) -> logging.targets().forEach(t -> sender.send(t, severity,
                        logging.tag(), message)));
            }
        }
        var shared = new FrontendAssembly.Shared(pools, connectors, globalMaxconn,
                config.global().splice() && transport.isEpoll(), pipes, tables, clients::add, syslog,
                () -> frontendStats.stream().mapToLong(f -> f.traffic().current()).sum());
        for (FrontendConfig f : config.frontends()) {
            FrontendContext fc = FrontendAssembly.assemble(f, shared, s -> SESSIONS.info(s.logLine()),
                    s -> SESSIONS.info(s.routedLine()));
            this.tunnels.add(fc.tunnels());
            int max = FrontendAssembly.maxconn(f, globalMaxconn);
            frontendStats.add(new FrontendStats(f, fc.traffic(), max));
            ConnectionSlots slots = new ConnectionSlots("frontend " + f.name(), max);
            for (BindConfig bind : f.binds()) {
                listeners.listen(fc, bind, tls.of(bind), slots, global, max);
            }
        }
        for (BackendPool pool : pools.values()) {
            startChecks(pool);
        }
        startResolvers(config);
        LOG.info("event=started transport={} threads={} maxconn={} maxpipes={} listeners={}", transport.name(),
                threads, globalMaxconn, pipes.max(), listeners.boundAddresses().size());
    }

    private void startChecks(BackendPool pool) {
        Timeouts t = pool.config().timeouts();
        for (Server s : pool.servers()) {
            ServerConfig c = s.config();
            boolean everAddressed = s.address() != null || c.resolution().resolvers() != null;
            if (!c.check() && c.agent() == null || c.disabled() || !everAddressed) {
                continue;
            }
            // `tcp-check connect port N` over the server's `port`, over its service port, as in HAProxy.
            int rulesPort = pool.config().healthCheck().connectPort();
            int port = rulesPort > 0 ? rulesPort : c.checkPort() > 0 ? c.checkPort() : c.port();
            if (port == 0 && c.check()) {
                LOG.warn("{}", new LogLine().add("event", "config_warning").add("msg", c.where() + ": server '"
                        + s.qualifiedName() + "' has neither service port nor check port: its health check is disabled"));
                continue;
            }
            // `addr`: the checks go to an address of their own (a literal, checked when parsed); else
            // wherever the server is at each check, which its resolvers may change.
            InetAddress checked = c.checkAddress() != null ? literal(c.checkAddress()) : null;
            HealthChecker hc = new HealthChecker(pool, s, checked, port, workers.next(),
                    transport.socketChannel(), t.connect(), t.check(), this::endSessions);
            checkers.add(hc);
            hc.start();
        }
    }

    /** Each `resolvers` section that servers name gets its task; the others have nothing to ask. */
    private void startResolvers(RouterConfig config) throws StartupException {
        Map<String, DnsResolvers> sections = new HashMap<>();
        config.resolvers().values().forEach(r -> sections.put(r.name(), new DnsResolvers(r, workers.next(),
                transport.datagramChannel(), MonotonicClock.SYSTEM)));
        for (BackendPool pool : pools.values()) {
            for (Server s : pool.servers()) {
                String name = s.config().resolution().resolvers();
                // A server given by address has no name to follow, as in HAProxy.
                if (name != null && io.netty.util.NetUtil.createByteArrayFromIpAddressString(s.config().host()) == null) {
                    sections.get(name).follow(pool, s);
                }
            }
        }
        for (DnsResolvers r : sections.values()) {
            if (r.isEmpty()) {
                continue;
            }
            try {
                r.start();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupException("resolvers '" + r.name() + "': interrupted while opening its socket", e);
            } catch (RuntimeException e) {
                throw new StartupException("resolvers '" + r.name() + "': cannot open its socket: " + e.getMessage(), e);
            }
            resolvers.add(r);
        }
    }

    /** `on-marked-down shutdown-sessions` and `on-marked-up shutdown-backup-sessions`: ends the sessions on those servers. */
    private void endSessions(String backend, Set<String> servers, boolean serversDown) {
        Termination why = serversDown ? Termination.SERVER_DOWN : Termination.SERVER_UP;
        for (Channel c : clients) {
            endIfOn(c, backend, servers, why);
        }
        for (RtmptTunnels t : tunnels) {
            t.forEachChannel(c -> endIfOn(c, backend, servers, why));
        }
    }

    private static void endIfOn(Channel c, String backend, Set<String> servers, Termination why) {
        c.eventLoop().execute(() -> {
            Session s = Session.of(c);
            if (s != null && backend.equals(s.backend()) && servers.contains(s.server()) && s.end(why, null)) {
                c.close();
            }
        });
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException("'" + address + "' was checked as an address", e);
        }
    }

    /** Its listening channels, in bind order (per event loop with SO_REUSEPORT): for tests. */
    List<io.netty.channel.Channel> listenerChannels() {
        return listeners.channels();
    }

    /** The frontends, in configuration order, for `show stat`. */
    public List<FrontendStats> frontends() {
        return List.copyOf(frontendStats);
    }

    /** Every session open now, plain sockets and RTMPT tunnels alike; read from any thread. */
    public List<Session> liveSessions() {
        List<Session> out = new ArrayList<>();
        for (Channel c : clients) {
            Session s = Session.of(c);
            if (s != null && !s.ending().finished()) {
                out.add(s);
            }
        }
        for (RtmptTunnels t : tunnels) {
            t.forEachChannel(c -> {
                Session s = Session.of(c);
                if (s != null && !s.ending().finished()) {
                    out.add(s);
                }
            });
        }
        return out;
    }

    /** Every proxy's stick table, for `show table`. */
    public StickTables stickTables() {
        return tables;
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }

    public long uptimeSeconds() {
        return (System.nanoTime() - startedAtNanos) / 1_000_000_000L;
    }

    public int maxconn() {
        return globalMaxconn;
    }

    /** Log lines that could not be sent at once and were dropped (show info's DroppedLogs). */
    public long droppedLogs() {
        return syslog == null ? 0 : syslog.dropped();
    }

    public int threads() {
        return threads;
    }

    public Map<String, BackendPool> pools() {
        return pools;
    }

    /** Bytes the RTMPT sessions of every frontend hold in memory for their clients. */
    public long rtmptHeldMemory() {
        return tunnels.stream().mapToLong(RtmptTunnels::heldMemory).sum();
    }

    /**
     * Bytes held in memory for clients, every transport: writes waiting for room on client sockets
     * (raw RTMP, TLS records, RTMPT replies; counted by the buffers they occupy) and what RTMPT
     * sessions hold both ways. Read from any thread; a gauge, not a snapshot.
     */
    public long heldMemory() {
        long sum = rtmptHeldMemory();
        for (Channel c : clients) {
            if (!(c instanceof TunnelChannel)) {
                ChannelOutboundBuffer out = c.unsafe().outboundBuffer();
                sum += out == null ? 0 : out.totalPendingWriteBytes();
            }
        }
        return sum;
    }

    /** Stops listening, ends every session (logged with term=shutdown), and stops the threads. */
    @Override
    public void close() {
        checkers.forEach(HealthChecker::stop);
        resolvers.forEach(DnsResolvers::stop);
        listeners.close();
        for (Channel c : clients) {
            c.eventLoop().execute(() -> {
                Session s = Session.of(c);
                if (s != null) {
                    s.end(Termination.SHUTDOWN, null);
                }
                c.close();
            });
        }
        clients.newCloseFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        tunnels.forEach(RtmptTunnels::stopAll);
        if (acceptors != null) {
            acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (syslog != null) {
            // Last: the sessions ended above have sent their lines.
            syslog.close();
        }
        LOG.info("event=stopped");
    }
}
