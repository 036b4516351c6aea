package io.rtmprouter.proxy.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * `timeout http-request` and `timeout http-keep-alive` on an RTMPT carrier connection, placed
 * before the HTTP codec so that it sees raw bytes. While the carrier waits for a request, a
 * connection that has sent none of it has the keep-alive time; once its first byte is in, the
 * whole request must arrive within the request time, however the bytes are spread (a byte every
 * few seconds does not reset it, as it does the inactivity timeout). The first request of a
 * connection starts with its bytes already in. When time runs out the carrier is told by an
 * {@link Expired} event and answers 408. No timer runs while the carrier handles a request.
 */
public final class HttpRequestTimer extends ChannelInboundHandlerAdapter {
    /**
     * Told to the carrier when a request did not arrive in time.
     *
     * @param started whether part of the request had come (HAProxy then answers 408; a
     *                connection idle between requests is closed without a word)
     */
    record Expired(String detail, boolean started) {
    }

    private final Duration request;
    private final Duration keepAlive;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private boolean awaiting;
    private boolean started;

    public HttpRequestTimer(Duration request, Duration keepAlive) {
        this.request = request;
        this.keepAlive = keepAlive;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        awaiting = true;
        started = true;
        arm(request, "timeout http-request");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (awaiting && !started && msg instanceof ByteBuf b && b.isReadable()) {
            started = true;
            arm(request, "timeout http-request");
        }
        ctx.fireChannelRead(msg);
    }

    /** The carrier has a whole request: nothing to time until it waits for the next. */
    void received() {
        awaiting = false;
        cancel();
    }

    /** The carrier has answered everything and waits for the next request. */
    void awaitNext() {
        awaiting = true;
        started = false;
        arm(keepAlive, "timeout http-keep-alive");
    }

    private void arm(Duration d, String which) {
        cancel();
        boolean partial = started;
        timer = ctx.executor().schedule(() -> {
            timer = null;
            // Said only when it strikes: the timer is armed for every request.
            String detail = (partial ? "no whole HTTP request within " : "no HTTP request within ")
                    + d.toMillis() + "ms (" + which + ")";
            ctx.fireUserEventTriggered(new Expired(detail, partial));
        }, d.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }
}
