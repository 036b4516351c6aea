package io.rtmprouter.proxy.inspect;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.rtmprouter.proxy.session.InspectionEvent;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.session.Termination;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * `tcp-request inspect-delay`: closes a session whose handshake and connect have not been read
 * in time, naming what it was still waiting for, or at once when the client half-closes before
 * (`client_abort`); a client that leaves before ends its session here. Leaves the pipeline once
 * inspection is done.
 */
public final class InspectionDeadline extends ChannelInboundHandlerAdapter {
    private final Duration delay;
    private ScheduledFuture<?> timer;

    public InspectionDeadline(Duration delay) {
        this.delay = delay;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx);
        ctx.fireChannelActive();
    }

    private void arm(ChannelHandlerContext ctx) {
        if (timer == null) {
            timer = ctx.executor().schedule(() -> expire(ctx), delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        Session s = Session.of(ctx.channel());
        s.end(Termination.INSPECT_TIMEOUT, "still waiting for " + s.awaiting() + " after " + delay.toMillis() + "ms");
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == InspectionEvent.DONE) {
            ctx.pipeline().remove(this);
        } else if (evt instanceof ChannelInputShutdownEvent) {
            // The client has sent all it will send, and inspection still waits: it can never finish.
            Session s = Session.of(ctx.channel());
            s.end(Termination.CLIENT_ABORT, "closed while waiting for " + s.awaiting());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * A socket error while inspecting (this stage is the pipeline's first, so it sees the
     * socket's own): a reset is how many clients leave, anything else the client's error.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Session.of(ctx.channel()).endOnClientError(cause);
        ctx.close();
    }

    /** The client left before inspection was done: no later stage holds the session yet, so it ends here. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Session s = Session.of(ctx.channel());
        s.end(Termination.CLIENT_ABORT, null);
        ctx.fireChannelInactive();
        s.ending().finish();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
