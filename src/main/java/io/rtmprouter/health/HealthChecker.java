package io.rtmprouter.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.balance.Server;
import io.rtmprouter.config.ServerConfig;
import io.rtmprouter.log.LogLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * TCP connect checks for one server: a check passes when the connection is established within
 * the check timeout. Results drive {@link HealthState}; each UP/DOWN transition is applied to
 * the pool and logged in HAProxy's words.
 */
public final class HealthChecker {
    private static final Logger LOG = LoggerFactory.getLogger("health");

    private final BackendPool pool;
    private final Server server;
    private final InetSocketAddress address;
    private final EventLoop loop;
    private final Class<? extends SocketChannel> channelClass;
    private final Duration timeout;
    private final HealthState state;
    private ScheduledFuture<?> next;
    private volatile boolean stopped;

    /**
     * @param connectTimeout the backend's `timeout connect`, or null
     * @param checkTimeout   the backend's `timeout check`, or null
     */
    public HealthChecker(BackendPool pool, Server server, InetSocketAddress address, EventLoop loop,
                         Class<? extends SocketChannel> channelClass, Duration connectTimeout, Duration checkTimeout) {
        ServerConfig c = server.config();
        this.pool = pool;
        this.server = server;
        this.address = address;
        this.loop = loop;
        this.channelClass = channelClass;
        this.timeout = checkTimeout(c.inter(), connectTimeout, checkTimeout);
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

    public void start() {
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
            CheckResult result;
            if (done.isSuccess()) {
                result = CheckResult.passed(ms);
                f.channel().close();
            } else if (done.cause() instanceof ConnectTimeoutException) {
                result = CheckResult.timeout(ms);
            } else {
                result = CheckResult.connectionProblem(describe(done.cause()), ms);
            }
            apply(result);
            if (!stopped) {
                next = loop.schedule(this::check, state.nextInterval().toMillis(), TimeUnit.MILLISECONDS);
            }
        });
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
        if (!state.record(result.passed()) || server.status() == Server.Status.MAINT) {
            return;
        }
        pool.setStatus(server, state.isUp() ? Server.Status.UP : Server.Status.DOWN);
        int[] up = pool.upCounts();
        StringBuilder msg = new StringBuilder("Server ").append(server.qualifiedName())
                .append(state.isUp() ? " is UP" : " is DOWN")
                .append(", reason: ").append(result.reason());
        if (result.info() != null) {
            msg.append(", info: \"").append(result.info()).append('"');
        }
        msg.append(", check duration: ").append(result.durationMillis()).append("ms. ")
                .append(up[0]).append(" active and ").append(up[1]).append(" backup servers ")
                .append(state.isUp() ? "online" : "left").append('.');
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
