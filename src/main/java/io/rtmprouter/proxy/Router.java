package io.rtmprouter.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.balance.MonotonicClock;
import io.rtmprouter.balance.Server;
import io.rtmprouter.config.BackendConfig;
import io.rtmprouter.config.BindConfig;
import io.rtmprouter.config.FrontendConfig;
import io.rtmprouter.config.RouterConfig;
import io.rtmprouter.config.ServerConfig;
import io.rtmprouter.config.SocketBuffers;
import io.rtmprouter.config.Timeouts;
import io.rtmprouter.health.HealthChecker;
import io.rtmprouter.log.LogLine;
import io.rtmprouter.proxy.accept.AcceptGate;
import io.rtmprouter.proxy.accept.ConnectionSlots;
import io.rtmprouter.proxy.relay.PipeBudget;
import io.rtmprouter.proxy.route.ServerConnector;
import io.rtmprouter.proxy.route.SocketServerConnector;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.session.Termination;
import io.rtmprouter.proxy.transport.HeldMemoryEstimator;
import io.rtmprouter.proxy.transport.Transport;
import io.rtmprouter.proxy.tunnel.RtmptTunnels;
import io.rtmprouter.proxy.tunnel.TunnelChannel;
import io.rtmprouter.tls.ServerTls;
import io.rtmprouter.tls.TlsBinds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A running configuration: listeners, backend pools, health checks. */
public final class Router implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("router");
    private static final Logger SESSIONS = LoggerFactory.getLogger("session");

    private final Transport transport;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final Map<String, BackendPool> pools = new LinkedHashMap<>();
    private final List<HealthChecker> checkers = new ArrayList<>();
    private final List<Channel> listeners = new ArrayList<>();
    private final List<InetSocketAddress> binds = new ArrayList<>();
    private final List<RtmptTunnels> tunnels = new ArrayList<>();
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
        int threads = config.global().nbthread() > 0 ? config.global().nbthread()
                : Runtime.getRuntime().availableProcessors();
        boolean splicing = splices(config, transport);
        int maxconn = config.global().maxconn() > 0 ? config.global().maxconn()
                : maxconnFromFileLimit(openFileLimit(), splicing, config.global().maxpipes());
        int maxpipes = config.global().maxpipes() > 0 ? config.global().maxpipes() : defaultMaxpipes(maxconn);
        Router r = new Router(transport, threads, maxconn, maxpipes, config.global().reusePort(),
                config.global().socketBuffers());
        try {
            r.build(config);
        } catch (StartupException | RuntimeException e) {
            r.close();
            throw e;
        }
        return r;
    }

    /**
     * HAProxy derives maxconn from the file descriptor limit: a session holds two sockets, and the
     * pipes of spliced directions (two descriptors each) come from `maxpipes`, maxconn / 4 unless
     * set, so a splicing configuration budgets 2.5 descriptors per session.
     */
    static int maxconnFromFileLimit(long openFiles, boolean splicing, int maxpipes) {
        long usable = openFiles - 100;
        long sessions;
        if (!splicing) {
            sessions = usable / 2;
        } else if (maxpipes > 0) {
            sessions = (usable - 2L * maxpipes) / 2;
        } else {
            sessions = usable * 2 / 5;
        }
        return (int) Math.max(1, Math.min(1_000_000, sessions));
    }

    static int defaultMaxpipes(int maxconn) {
        return Math.max(1, maxconn / 4);
    }

    private static long openFileLimit() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean u ? u.getMaxFileDescriptorCount() : 4096;
    }

    /** Whether some frontend or backend may splice (and `nosplice` or a missing epoll does not forbid it). */
    static boolean splices(RouterConfig config, Transport transport) {
        return config.global().splice() && transport.isEpoll()
                && (config.frontends().stream().anyMatch(f -> f.splice().any())
                || config.backends().values().stream().anyMatch(b -> b.splice().any()));
    }

    private void build(RouterConfig config) throws StartupException {
        pools.putAll(BackendPool.of(config.backends().values(), MonotonicClock.SYSTEM));
        Map<Server, InetSocketAddress> addresses = new HashMap<>();
        for (BackendPool pool : pools.values()) {
            for (Server s : pool.servers()) {
                addresses.put(s, resolve(s.config()));
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
        var shared = new FrontendAssembly.Shared(pools, connectors, addresses, globalMaxconn,
                config.global().splice() && transport.isEpoll(), pipes, clients::add);
        for (FrontendConfig f : config.frontends()) {
            FrontendContext fc = FrontendAssembly.assemble(f, shared, s -> SESSIONS.info(s.logLine()),
                    s -> SESSIONS.info(s.routedLine()));
            this.tunnels.add(fc.tunnels());
            int max = FrontendAssembly.maxconn(f, globalMaxconn);
            ConnectionSlots slots = new ConnectionSlots("frontend " + f.name(), max);
            for (BindConfig bind : f.binds()) {
                listen(fc, bind, tls.of(bind), slots, global, max);
            }
        }
        for (BackendPool pool : pools.values()) {
            startChecks(pool, addresses);
        }
        LOG.info("event=started transport={} threads={} maxconn={} maxpipes={} listeners={}", transport.name(),
                threads, globalMaxconn, pipes.max(), binds.size());
    }

    private static InetSocketAddress resolve(ServerConfig s) throws StartupException {
        try {
            return new InetSocketAddress(InetAddress.getByName(s.host()), s.port());
        } catch (UnknownHostException e) {
            throw new StartupException(s.where() + ": could not resolve address '" + s.host() + "' of server '"
                    + s.name() + "'", e);
        }
    }

    /**
     * Binds one listener per event loop with SO_REUSEPORT on epoll: the kernel spreads new
     * connections over them and each is accepted on the loop that will serve it, with no hand-off
     * between threads (HAProxy binds per thread the same way; `noreuseport` turns it off). Without
     * it, one acceptor thread hands connections to the workers.
     */
    private void listen(FrontendContext fc, BindConfig bind, ServerTls tls, ConnectionSlots slots,
                        ConnectionSlots global, int max) throws StartupException {
        List<Channel> bound = new ArrayList<>();
        try {
            if (reusePort) {
                InetSocketAddress at = bind.socketAddress();
                for (var executor : workers) {
                    EventLoop loop = (EventLoop) executor;
                    Channel ch = bootstrap(fc, bind, tls, slots, global, max).group(loop, loop)
                            .option(EpollChannelOption.SO_REUSEPORT, true).bind(at).sync().channel();
                    bound.add(ch);
                    // Port 0: the other loops join the port the kernel chose for the first.
                    at = (InetSocketAddress) ch.localAddress();
                }
            } else {
                bound.add(bootstrap(fc, bind, tls, slots, global, max).group(acceptors, workers)
                        .bind(bind.socketAddress()).sync().channel());
            }
        } catch (Exception e) {
            bound.forEach(c -> c.close().syncUninterruptibly());
            throw new StartupException(bind.where() + ": frontend '" + fc.frontend().name() + "' cannot bind to "
                    + bind + ": " + e.getMessage(), e);
        }
        listeners.addAll(bound);
        binds.add((InetSocketAddress) bound.get(0).localAddress());
        LOG.info("event=listening frontend={} bind={} name={} ssl={}", fc.frontend().name(), bind,
                bind.name() == null ? "-" : bind.name(), tls != null);
    }

    private ServerBootstrap bootstrap(FrontendContext fc, BindConfig bind, ServerTls tls, ConnectionSlots slots,
                                      ConnectionSlots global, int max) {
        ServerBootstrap b = new ServerBootstrap()
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, bind.backlog() > 0 ? bind.backlog() : Math.min(max, 65535))
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new AcceptGate(slots, global))
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR, HeldMemoryEstimator.INSTANCE)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        clients.add(ch);
                        SessionPipeline.init(ch, fc, tls);
                    }
                });
        if (socketBuffers.clientSend() > 0) {
            b.childOption(ChannelOption.SO_SNDBUF, socketBuffers.clientSend());
        }
        if (socketBuffers.clientReceive() > 0) {
            // On the listener, so that an accepted socket has it from its SYN on (its window scale depends on it).
            b.option(ChannelOption.SO_RCVBUF, socketBuffers.clientReceive());
        }
        return b;
    }

    private void startChecks(BackendPool pool, Map<Server, InetSocketAddress> addresses) {
        Timeouts t = pool.config().timeouts();
        for (Server s : pool.servers()) {
            ServerConfig c = s.config();
            if (!c.check() || c.disabled()) {
                continue;
            }
            InetSocketAddress a = addresses.get(s);
            int port = c.checkPort() > 0 ? c.checkPort() : a.getPort();
            if (port == 0) {
                LOG.warn("{}", new LogLine().add("event", "config_warning").add("msg", c.where() + ": server '"
                        + s.qualifiedName() + "' has neither service port nor check port: its health check is disabled"));
                continue;
            }
            HealthChecker hc = new HealthChecker(pool, s, new InetSocketAddress(a.getAddress(), port), workers.next(),
                    transport.socketChannel(), t.connect(), t.check());
            checkers.add(hc);
            hc.start();
        }
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

    /** Addresses actually bound, one per bind in configuration order (useful when a bind asked for port 0). */

    public List<InetSocketAddress> boundAddresses() {
        return List.copyOf(binds);
    }

    /** Stops listening, ends every session (logged with term=shutdown), and stops the threads. */
    @Override
    public void close() {
        checkers.forEach(HealthChecker::stop);
        for (Channel l : listeners) {
            l.close().syncUninterruptibly();
        }
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
        LOG.info("event=stopped");
    }
}
