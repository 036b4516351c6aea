package io.rtmprouter.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.NetUtil;
import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.balance.Server;
import io.rtmprouter.config.CheckRule;
import io.rtmprouter.config.CheckStatus;
import io.rtmprouter.config.HealthCheckConfig;
import io.rtmprouter.config.ProxyHeader;
import io.rtmprouter.config.ServerConfig;
import io.rtmprouter.log.LogLine;
import io.rtmprouter.proxyheader.ProxyHeaderWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
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
    private final InetSocketAddress address;
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
     * @param connectTimeout the backend's `timeout connect`, or null
     * @param checkTimeout   the backend's `timeout check`, or null
     */
    public HealthChecker(BackendPool pool, Server server, InetSocketAddress address, EventLoop loop,
                         Class<? extends SocketChannel> channelClass, Duration connectTimeout, Duration checkTimeout,
                         SessionShutdown shutdown) {
        ServerConfig c = server.config();
        this.pool = pool;
        this.server = server;
        this.address = address;
        this.loop = loop;
        this.channelClass = channelClass;
        this.timeout = checkTimeout(c.inter(), connectTimeout, checkTimeout);
        // HAProxy: `timeout check`, when set, is the read timeout once connected; else the whole check has `inter`.
        this.readTimeout = checkTimeout != null ? checkTimeout : c.inter();
        this.rules = pool.config().healthCheck();
        this.shutdown = shutdown;
        this.state = new HealthState(c.rise(), c.fall(), c.inter(), c.fastinter(), c.downinter());
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
        long first = ThreadLocalRandom.current().nextLong(Math.max(1, server.config().inter().toMillis()));
        next = loop.schedule(this::check, first, TimeUnit.MILLISECONDS);
    }

    public void stop() {
        stopped = true;
        loop.execute(() -> {
            if (next != null) {
                next.cancel(false);
            }
        });
    }

    private void check() {
        if (stopped) {
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

    /** HAProxy's warm-up task: every max(1 s, slowstart/20) while the slowstart runs. */
    private void scheduleRampStep() {
        long step = Math.max(1000, server.config().slowstart().toMillis() / 20);
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
        if (result.passed()) {
            consecutiveErrors = 0;
        }
        apply(result);
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
        int moved = pool.setStatus(server, state.isUp() ? Server.Status.UP : Server.Status.DOWN);
        if (server.warming()) {
            scheduleRampStep();
        }
        int[] up = pool.upCounts();
        StringBuilder msg = new StringBuilder("Server ").append(server.qualifiedName())
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
        if (state.isUp()) {
            LOG.info("{}", line);
        } else {
            LOG.warn("{}", line);
            if (up[0] + up[1] == 0) {
                LOG.error("{}", new LogLine().add("event", "backend_down").add("backend", pool.name())
                        .add("msg", "backend " + pool.name() + " has no server available!"));
            }
        }
    }
}
