package io.rtmprouter.proxy.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Copies what one channel reads to its peer (bytes are counted by {@link ByteCountingAllocator}).
 * Backpressure: when the peer cannot take more, this side stops reading until the peer drains.
 * Under `option splice-auto` it hands its direction to a {@link SpliceRelayHandler} while the
 * direction streams fast ({@link StreamerDetector}) and `maxpipes` leaves a pipe. A half-close
 * (FIN) is passed on as a half-close; the pair closes once both directions are shut, or at once
 * on an error or inactivity timeout.
 */
final class RelayHandler extends RelayDirection {
    private final Channel peer;
    /** Set when `option splice-auto` may move this direction to the kernel once it streams fast. */
    private StreamerDetector streamer;
    private long pass;
    private boolean inputShut;
    private boolean switching;

    /** @param streamer null: always copied */
    RelayHandler(Channel peer, Side side, RelayPair pair, StreamerDetector streamer) {
        super(side, pair);
        this.peer = peer;
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
}
