package io.rtmprouter.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.unix.Errors;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;

/**
 * Copies what one channel reads to its peer (bytes are counted by {@link ByteCountingAllocator}). Backpressure: when the peer cannot take more, this
 * side stops reading until the peer drains. A half-close (FIN) is passed on as a half-close; the
 * pair closes once both directions are shut, or at once on an error or inactivity timeout.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
    private final Channel peer;
    private final Side side;
    private final RelayPair pair;

    RelayHandler(Channel peer, Side side, RelayPair pair) {
        this.peer = peer;
        this.side = side;
        this.pair = pair;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        peer.write(buf, peer.voidPromise());
        if (!peer.isWritable()) {
            // Stop reading until the peer's outbound buffer drains below its low-water mark.
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && peer.isActive()) {
            peer.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            pair.inputClosed(side);
            pair.passFin(side);
        } else if (evt instanceof IdleStateEvent) {
            pair.close(side.timedOut(), null);
        } else if (!(evt instanceof ChannelInputShutdownReadComplete)) {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pair.close(side.closed(), null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        abortOn(pair, side, cause);
    }

    /** Ends the pair on a socket error of `side`: a reset is how many players leave, not an error. */
    static void abortOn(RelayPair pair, Side side, Throwable cause) {
        if (isReset(cause)) {
            pair.abort(side.reset(), null);
        } else {
            String detail = cause instanceof IOException ? cause.getMessage() : cause.toString();
            pair.abort(side.failed(), detail);
        }
    }

    static boolean isReset(Throwable cause) {
        if (cause instanceof Errors.NativeIoException n) {
            return n.expectedErr() == Errors.ERRNO_ECONNRESET_NEGATIVE;
        }
        return cause instanceof IOException && cause.getMessage() != null
                && cause.getMessage().contains("Connection reset");
    }
}
