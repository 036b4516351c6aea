package io.rtmprouter.proxy.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.rtmprouter.proxy.transport.SocketErrors;

import java.io.IOException;

/**
 * Copies what one channel reads to its peer (bytes are counted by {@link ByteCountingAllocator}).
 * Backpressure: when the peer cannot take more, this side stops reading until the peer drains.
 * Under `option splice-auto` it hands its direction to a {@link SpliceRelayHandler} while the
 * direction streams fast ({@link StreamerDetector}) and `maxpipes` leaves a pipe. A half-close
 * (FIN) is passed on as a half-close; the pair closes once both directions are shut, or at once
 * on an error or inactivity timeout.
 */
public final class RelayHandler extends ChannelInboundHandlerAdapter {
    private final Channel peer;
    private final Side side;
    private final RelayPair pair;
    /** Set when `option splice-auto` may move this direction to the kernel once it streams fast. */
    private StreamerDetector streamer;
    private long pass;
    private boolean inputShut;
    private boolean switching;

    /** @param streamer null: always copied */
    RelayHandler(Channel peer, Side side, RelayPair pair, StreamerDetector streamer) {
        this.peer = peer;
        this.side = side;
        this.pair = pair;
        this.streamer = streamer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        pass += buf.readableBytes();
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
        long bytes = pass;
        pass = 0;
        if (streamer != null && streamer.onPass(bytes) && !inputShut && !switching) {
            // Netty reports a FIN read in this pass only after this call; switch once it could
            // have, so that a FIN is passed on here and not left to a splice that reads no more.
            switching = true;
            ctx.executor().execute(() -> spliceFromNow(ctx));
        }
    }

    private void spliceFromNow(ChannelHandlerContext ctx) {
        switching = false;
        if (inputShut || ctx.isRemoved() || !ctx.channel().isActive() || !pair.startSplicing(side)) {
            return;
        }
        SpliceRelayHandler splice = new SpliceRelayHandler((AbstractEpollStreamChannel) peer, side, pair, streamer);
        ctx.pipeline().replace(this, Relay.RELAY, splice);
        splice.start((AbstractEpollStreamChannel) ctx.channel());
        // A fast streamer usually fills its peer, so this side is often stopped right now. From
        // here on Netty paces it: its first splice waits behind what was copied, and reading
        // stops until that splice is written.
        ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            pair.writable(side);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShut = true;
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
        if (SocketErrors.isReset(cause)) {
            pair.abort(side.reset(), null);
        } else {
            String detail = cause instanceof IOException ? cause.getMessage() : cause.toString();
            pair.abort(side.failed(), detail);
        }
    }
}
