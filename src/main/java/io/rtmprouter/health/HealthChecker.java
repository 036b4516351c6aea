package io.rtmprouter.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.balance.Server;
import io.rtmprouter.config.AgentCheck;
import io.rtmprouter.config.CheckRule;
import io.rtmprouter.config.CheckStatus;
import io.rtmprouter.config.HealthCheckConfig;
import io.rtmprouter.config.ProxyHeader;
import io.rtmprouter.config.ServerConfig;
import io.rtmprouter.log.LogLine;
import io.rtmprouter.proxyheader.ProxyHeaderWriter;
import io.rtmprouter.stats.CheckCounters;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Health checks for one server: a connection within the connect timeout, then the backend's
 * `tcp-check` or `http-check` rules ({@link CheckConversation}) within `timeout check` (or
 * `inter`). Results drive {@link HealthState}; each UP/DOWN transition is applied to the pool
 * and logged in HAProxy's words.
 */
public final class HealthChecker {
    private static final Logger LOG = LoggerFactory.getLogger("health");

    private final BackendPool pool;
    private final Server server;
    /** `addr`: where the checks go instead of the server's address; null: wherever the server is now. */
    private final InetAddress checkAddress;
    /** The port the checks go to: `tcp-check connect port`, the server's `port`, or its service port. */
    private final int port;
    private final EventLoop loop;
    private final Class<? extends SocketChannel> channelClass;
    private final Duration timeout;
    private final Duration readTimeout;
    private final HealthCheckConfig rules;
    private final SessionShutdown shutdown;
    private final HealthState state;
    private ScheduledFuture<?> next;
    private volatile boolean stopped;

    /**
     * @param checkAddress   `addr`, or null for the server's address, whatever it is at each check
     * @param port           the port the checks go to
     * @param connectTimeout the backend's `timeout connect`, or null
     * @param checkTimeout   the backend's `timeout check`, or null
     */
    public HealthChecker(BackendPool pool, Server server, InetAddress checkAddress, int port, EventLoop loop,
                         Class<? extends SocketChannel> channelClass, Duration connectTimeout, Duration checkTimeout,
                         SessionShutdown shutdown) {
        ServerConfig c = server.config();
        this.pool = pool;
        this.server = server;
        this.checkAddress = checkAddress;
        this.port = port;
        this.loop = loop;
        this.channelClass = channelClass;
        this.timeout = checkTimeout(c.inter(), connectTimeout, checkTimeout);
        // HAProxy: `timeout check`, when set, is the read timeout once connected; else the whole check has `inter`.
        this.readTimeout = checkTimeout != null ? checkTimeout : c.inter();
        this.rules = pool.config().healthCheck();
        this.shutdown = shutdown;
        this.state = new HealthState(c.rise(), c.fall(), c.inter(), c.fastinter(), c.downinter());
    }

    /** Where a check goes now: null while the server has no address (and no `addr` of its own). */
    private InetSocketAddress target(int toPort) {
        if (checkAddress != null) {
            return new InetSocketAddress(checkAddress, toPort);
        }
        InetSocketAddress a = server.address();
        return a == null ? null : new InetSocketAddress(a.getAddress(), toPort);
    }

    /**
     * HAProxy: without `timeout check` the whole check must finish within `inter`; with it, the
     * connection must be made within min(`timeout connect`, `inter`).
     */
    static Duration checkTimeout(Duration inter, Duration connectTimeout, Duration checkTimeout) {
        if (checkTimeout == null || connectTimeout == null) {
            return inter;
        }
        return connectTimeout.compareTo(inter) < 0 ? connectTimeout : inter;
    }

    /** Consecutive failed real connections, for `observe layer4`; confined to the checks' loop. */
    private int consecutiveErrors;

    public void start() {
        server.whenBackFromMaintenance(() -> loop.execute(this::backFromMaintenance));
        if (server.config().observe()) {
            server.observe(new Server.TrafficObserver() {
                @Override
                public void connected() {
                    loop.execute(() -> consecutiveErrors = 0);
                }

                @Override
                public void failed(int sessionsNow) {
                    loop.execute(() -> trafficFailed(sessionsNow));
                }
            });
        }
        // Spread the first checks so that many servers are not all probed at the same instant.
        if (server.config().check()) {
            long first = ThreadLocalRandom.current().nextLong(Math.max(1, server.config().inter().toMillis()));
            next = loop.schedule(this::check, first, TimeUnit.MILLISECONDS);
        }
        AgentCheck agent = server.config().agent();
        if (agent != null) {
            long first = ThreadLocalRandom.current().nextLong(Math.max(1, agent.inter().toMillis()));
            nextAgent = loop.schedule(this::askAgent, first, TimeUnit.MILLISECONDS);
        }
    }

    /** HAProxy: a server leaving maintenance starts again at `rise`, and is checked at once. */
    private void backFromMaintenance() {
        if (stopped) {
            return;
        }
        state.restart();
        if (server.config().check()) {
            if (next != null) {
                next.cancel(false);
            }
            next = loop.schedule(this::check, 0, TimeUnit.MILLISECONDS);
        }
    }

    // ---- agent-check ----------------------------------------------------------------------

    private ScheduledFuture<?> nextAgent;
    /** The agent said `maint`: its `ready` (not a health check) brings the server back. */
    private boolean agentMaint;

    /**
     * HAProxy's agent check: connect, send `agent-send`, read one line (at most
     * {@link AgentReply#MAX_LINE}), act on it. An agent that cannot be reached changes nothing:
     * the regular check is what tests connectivity.
     */
    private void askAgent() {
        if (stopped) {
            return;
        }
        AgentCheck agent = server.config().agent();
        // `agent-addr`, else where the checks go (`addr`, else the server's address now).
        InetSocketAddress agentAddress = agent.address() != null
                ? new InetSocketAddress(agent.address(), agent.port()) : target(agent.port());
        if (agentAddress == null) {
            nextAgent = loop.schedule(this::askAgent, agent.inter().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        long started = System.nanoTime();
        StringBuilder line = new StringBuilder();
        ChannelFuture f = new Bootstrap().group(loop).channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new ChannelInboundHandlerAdapter() {
                    private boolean done;

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        try {
                            if (!done && msg instanceof ByteBuf b) {
                                line.append(b.toString(StandardCharsets.ISO_8859_1));
                                int end = firstEnd(line);
                                if (end >= 0 || line.length() >= AgentReply.MAX_LINE) {
                                    done = true;
                                    line.setLength(end >= 0 ? end : AgentReply.MAX_LINE);
                                    ctx.close();
                                    agentAnswered(AgentReply.parse(line.toString()), started);
                                }
                            }
                        } finally {
                            ReferenceCountUtil.release(msg);
                        }
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        if (!done && !line.isEmpty()) {
                            done = true;
                            LOG.info("{}", new LogLine().add("event", "agent_warning").add("server", server.qualifiedName())
                                    .add("msg", "Ignoring incomplete line from agent"));
                        }
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        ctx.close();
                    }
                })
                .connect(agentAddress);
        f.addListener(done -> {
            if (done.isSuccess() && agent.send() != null) {
                f.channel().writeAndFlush(Unpooled.copiedBuffer(agent.send(),
                        StandardCharsets.ISO_8859_1));
            }
            // The answer must come within the check's timeout, as any check's.
            loop.schedule(() -> f.channel().close(), readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        });
        if (!stopped) {
            nextAgent = loop.schedule(this::askAgent, agent.inter().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static int firstEnd(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\n' || s.charAt(i) == '\r') {
                return i;
            }
        }
        return -1;
    }

    /** What the agent said, applied in HAProxy's order: admin state, weight, maxconn, health. */
    private void agentAnswered(AgentReply reply, long started) {
        if (stopped) {
            return;
        }
        if (reply.admin() != null) {
            agentAdmin(reply.admin());
        }
        if (reply.weight() >= 0) {
            server.agentWeight(reply.weight());
        }
        if (reply.maxconn() >= 0) {
            server.agentMaxconn(reply.maxconn());
            pool.rampStep(server); // a larger maxconn may let queued clients in
        }
        if (reply.health() != null) {
            boolean up = reply.health().equals("up");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            CheckResult result = new CheckResult(up ? CheckStatus.L7OK : CheckStatus.L7STS, 0, reply.info(), ms);
            if (state.force(up) && server.status() != Server.Status.MAINT) {
                transition(result, -1);
            }
        } else if (reply.error() != null) {
            LOG.info("{}", new LogLine().add("event", "agent_warning").add("server", server.qualifiedName())
                    .add("msg", "agent reports an error : " + reply.error()));
        }
    }

    /** `drain`, `maint` or `ready`, with HAProxy's messages. */
    private void agentAdmin(String admin) {
        String name = server.qualifiedName();
        switch (admin) {
            case "drain" -> {
                if (!server.draining()) {
                    pool.setDraining(server, true);
                    int[] up = pool.upCounts();
                    log("server_drain", serverWord() + name + " enters drain state. " + up[0] + " active and " + up[1]
                            + " backup servers online. 0 sessions requeued, " + server.queued() + " total in queue.");
                }
            }
            case "maint" -> {
                if (!server.forcedMaintenance()) {
                    agentMaint = true;
                    pool.setForcedMaintenance(server, true);
                }
                if (server.status() == Server.Status.DOWN) {
                    pool.setStatus(server, Server.Status.MAINT);
                    log("server_maint", serverWord() + name + " was DOWN and now enters maintenance.");
                } else if (server.status() != Server.Status.MAINT) {
                    int sessions = server.currentConnections();
                    int moved = pool.setStatus(server, Server.Status.MAINT);
                    int[] up = pool.upCounts();
                    log("server_maint", serverWord() + name + " is going DOWN for maintenance. " + up[0] + " active and "
                            + up[1] + " backup servers left. " + sessions + " sessions active, " + moved + " requeued, "
                            + server.queued() + " remaining in queue.");
                }
            }
            default -> {
                if (server.draining()) {
                    pool.setDraining(server, false);
                    log("server_ready", serverWord() + name + " is UP (leaving forced drain).");
                }
                if (agentMaint) {
                    agentMaint = false;
                    pool.setForcedMaintenance(server, false);
                    if (server.unresolved()) {
                        // Still without an address: its resolution brings it back.
                        return;
                    }
                    pool.setStatus(server, state.isUp() ? Server.Status.UP : Server.Status.DOWN);
                    log("server_ready", serverWord() + name + " is " + (state.isUp() ? "UP/READY" : "DOWN")
                            + " (leaving forced maintenance).");
                }
            }
        }
    }

    /** "Server ", or "Backup Server " for a backup, as HAProxy starts its messages. */
    private String serverWord() {
        return server.isBackup() ? "Backup Server " : "Server ";
    }

    /** A change its agent asked for, logged and sent to the backend's `log` targets at notice, as HAProxy. */
    private void log(String event, String msg) {
        LOG.info("{}", new LogLine().add("event", event).add("msg", msg));
        pool.announce(NOTICE, msg);
    }

    private static final int EMERG = 0;
    private static final int ALERT = 1;
    private static final int NOTICE = 5;

    /** Stops checking; a check under way is closed, so that what it holds is given back before the loop ends. */
    public void stop() {
        stopped = true;
        loop.execute(() -> {
            if (next != null) {
                next.cancel(false);
            }
            if (nextAgent != null) {
                nextAgent.cancel(false);
            }
            if (running != null) {
                running.close();
            }
        });
    }

    /** The check connection under way, if any; confined to the loop. */
    private Channel running;

    private void check() {
        if (stopped) {
            return;
        }
        InetSocketAddress address = target(port);
        if (address == null) {
            // No address to check (HAProxy's checks are paused in maintenance): look again later.
            next = loop.schedule(this::check, server.config().inter().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        long started = System.nanoTime();
        ChannelFuture f = new Bootstrap()
                .group(loop)
                .channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(address);
        running = f.channel();
        f.channel().closeFuture().addListener(c -> {
            if (running == f.channel()) {
                running = null;
            }
        });
        f.addListener(done -> {
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            if (done.isSuccess() && server.config().checkSendProxy()) {
                // As HAProxy's checks (measured with 2.6): v1 names the check connection's own two
                // ends, v2 sends the LOCAL command, as for any connection of the proxy's own.
                ProxyHeader v = proxyVersion();
                Channel ch = f.channel();
                ProxyHeaderWriter.write(ch, v, v == ProxyHeader.V1 ? (InetSocketAddress) ch.localAddress() : null,
                        v == ProxyHeader.V1 ? (InetSocketAddress) ch.remoteAddress() : null);
            }
            if (done.isSuccess() && rules.kind() == HealthCheckConfig.Kind.RTMP) {
                String app = ((CheckRule.RtmpConnect) rules.rules().get(0)).app();
                String tcUrl = "rtmp://" + NetUtil.toSocketAddressString(address) + "/" + (app == null ? "" : app);
                f.channel().pipeline().addLast(new RtmpCheckConversation(app, tcUrl, readTimeout, started, this::completed));
                return;
            }
            if (done.isSuccess() && !rules.rules().isEmpty()) {
                f.channel().pipeline().addLast(new CheckConversation(rules, readTimeout, started, this::completed));
                return;
            }
            CheckResult result;
            if (done.isSuccess()) {
                result = CheckResult.connected(rules.explicitConnect() ? "(tcp-check)" : null, ms);
                f.channel().close();
            } else if (done.cause() instanceof ConnectTimeoutException) {
                result = CheckResult.timeout(ms);
            } else {
                result = CheckResult.connectionProblem(describe(done.cause()), ms);
            }
            completed(result);
        });
    }

    /** `check-send-proxy` alone sends v1, as HAProxy does; with `send-proxy-v2` the checks speak v2. */
    private ProxyHeader proxyVersion() {
        return server.config().sendProxy() == ProxyHeader.V2 ? ProxyHeader.V2 : ProxyHeader.V1;
    }

    /** HAProxy's warm-up task: every second (Server.rampStepMillis) while the slowstart runs. */
    private void scheduleRampStep() {
        long step = server.rampStepMillis();
        loop.schedule(() -> {
            if (!stopped && server.isUp() && pool.rampStep(server)) {
                scheduleRampStep();
            }
        }, step, TimeUnit.MILLISECONDS);
    }

    /** HAProxy's health_adjust: `error-limit` failed connections in a row set off `on-error`. */
    private void trafficFailed(int sessionsNow) {
        if (stopped || ++consecutiveErrors < server.config().errorLimit()) {
            return;
        }
        CheckResult analyzed = new CheckResult(CheckStatus.HANA, 0, "Detected " + consecutiveErrors
                + " consecutive errors, last one was: L4 unsuccessful connection", -1);
        consecutiveErrors = 0;
        switch (server.config().onError()) {
            case FASTINTER -> {
            }
            case SUDDEN_DEATH -> {
                state.suddenDeath();
                apply(analyzed, sessionsNow);
            }
            case FAIL_CHECK -> apply(analyzed, sessionsNow);
            case MARK_DOWN -> {
                state.markDown();
                apply(analyzed, sessionsNow);
            }
        }
        // Every action checks again at fastinter, if that is sooner than the next check.
        long fast = server.config().fastinter().toMillis();
        if (next != null && next.getDelay(TimeUnit.MILLISECONDS) > fast) {
            next.cancel(false);
            next = loop.schedule(this::check, fast, TimeUnit.MILLISECONDS);
        }
    }

    private void completed(CheckResult result) {
        if (stopped) {
            return; // closed by stop(): not a verdict on the server
        }
        if (result.passed()) {
            consecutiveErrors = 0;
        }
        apply(result);
        server.checks().checked(new CheckCounters.LastCheck(result.status().name(), result.code(),
                result.durationMillis(), result.status().reason(), result.info(), result.status().hasCode()),
                result.passed(), state.health());
        if (!stopped) {
            next = loop.schedule(this::check, state.nextInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** "connect(..) failed: Connection refused: /127.0.0.1:1935" becomes "Connection refused". */
    static String describe(Throwable t) {
        String m = t.getMessage();
        if (m == null) {
            return t.getClass().getSimpleName();
        }
        m = m.replaceFirst(": /[^ ]*$", "");
        // Native errors read "finishConnect(..) failed with error(-111): Connection refused".
        int errno = m.lastIndexOf("): ");
        if (errno >= 0) {
            return m.substring(errno + 3);
        }
        int failed = m.indexOf("failed: ");
        return failed >= 0 ? m.substring(failed + "failed: ".length()) : m;
    }

    void apply(CheckResult result) {
        apply(result, -1);
    }

    /** @param sessions the sessions to report as active on a DOWN server, or -1 for those it has now */
    private void apply(CheckResult result, int sessions) {
        if (!state.record(result.passed()) || server.status() == Server.Status.MAINT) {
            return;
        }
        transition(result, sessions);
    }

    /** The health state changed: the pool is told, and the change logged in HAProxy's words. */
    private void transition(CheckResult result, int sessions) {
        int moved = pool.setStatus(server, state.isUp() ? Server.Status.UP : Server.Status.DOWN);
        if (server.warming()) {
            scheduleRampStep();
        }
        int[] up = pool.upCounts();
        StringBuilder msg = new StringBuilder(serverWord()).append(server.qualifiedName())
                .append(state.isUp() ? " is UP" : " is DOWN").append(result.describe()).append(". ")
                .append(up[0]).append(" active and ").append(up[1]).append(" backup servers ")
                .append(state.isUp() ? "online." : "left.");
        if (up[0] == 0 && up[1] > 0) {
            msg.append(" Running on backup.");
        }
        // HAProxy's tail: the server's sessions and the queued clients the change moved.
        if (state.isUp()) {
            msg.append(' ').append(moved).append(" sessions requeued, ").append(server.queued()).append(" total in queue.");
        } else {
            // With shutdown-sessions, the sessions still open as the message is written; they end next.
            msg.append(' ').append(sessions >= 0 ? sessions : server.currentConnections()).append(" sessions active, ")
                    .append(moved)
                    .append(" requeued, ").append(server.queued()).append(" remaining in queue.");
        }
        if (!state.isUp() && server.config().shutdownSessionsOnDown()) {
            shutdown.endSessions(pool.name(), Set.of(server.name()), true);
        } else if (state.isUp() && server.config().shutdownBackupSessionsOnUp() && !server.isBackup()) {
            Set<String> backups = new HashSet<>();
            pool.servers().stream().filter(Server::isBackup).forEach(b -> backups.add(b.name()));
            shutdown.endSessions(pool.name(), backups, false);
        }
        LogLine line = new LogLine().add("event", state.isUp() ? "server_up" : "server_down")
                .add("server", server.qualifiedName()).add("msg", msg);
        // HAProxy's severities on its log targets: notice for UP, alert for DOWN, emerg for an empty backend.
        pool.announce(state.isUp() ? NOTICE : ALERT, msg.toString());
        if (state.isUp()) {
            LOG.info("{}", line);
        } else {
            LOG.warn("{}", line);
            if (up[0] + up[1] == 0) {
                pool.announce(EMERG, "backend " + pool.name() + " has no server available!");
                LOG.error("{}", new LogLine().add("event", "backend_down").add("backend", pool.name())
                        .add("msg", "backend " + pool.name() + " has no server available!"));
            }
        }
    }
}
