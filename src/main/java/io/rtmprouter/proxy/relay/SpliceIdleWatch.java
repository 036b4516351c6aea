package io.rtmprouter.proxy.relay;

import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Inactivity timeouts for sessions with a spliced direction. Spliced bytes never reach the
 * pipeline, so an IdleStateHandler cannot see them; the kernel's TCP_INFO can: it tells how long
 * ago each socket last sent and last received data.
 */
final class SpliceIdleWatch {
    private final EpollSocketChannel channel;
    private final long timeoutMillis;
    private final Runnable onTimeout;
    private final EpollTcpInfo info = new EpollTcpInfo();
    private boolean cancelled;

    private SpliceIdleWatch(EpollSocketChannel channel, Duration timeout, Runnable onTimeout) {
        this.channel = channel;
        this.timeoutMillis = timeout.toMillis();
        this.onTimeout = onTimeout;
    }

    /**
     * Calls onTimeout once the socket has neither sent nor received for `timeout` (null: never).
     * Returns the watch, to cancel when another timeout takes its place; null when none was set.
     */
    static SpliceIdleWatch watch(EpollSocketChannel channel, Duration timeout, Runnable onTimeout) {
        if (timeout == null) {
            return null;
        }
        SpliceIdleWatch w = new SpliceIdleWatch(channel, timeout, onTimeout);
        w.schedule(timeout.toMillis());
        return w;
    }

    /** It no longer applies: `timeout client-fin` or `server-fin` took its place. */
    void cancel() {
        cancelled = true;
    }

    private void schedule(long delayMillis) {
        channel.eventLoop().schedule(this::check, Math.max(1, delayMillis), TimeUnit.MILLISECONDS);
    }

    private void check() {
        if (cancelled || !channel.isActive()) {
            return;
        }
        channel.tcpInfo(info);
        long idle = Math.min(info.lastDataRecv(), info.lastDataSent());
        if (idle >= timeoutMillis) {
            onTimeout.run();
        } else {
            schedule(timeoutMillis - idle);
        }
    }
}
