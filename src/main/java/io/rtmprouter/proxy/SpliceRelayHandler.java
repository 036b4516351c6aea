package io.rtmprouter.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.ReferenceCountUtil;

import java.nio.channels.ClosedChannelException;

/**
 * Moves one direction of a session socket -> pipe -> socket in the kernel (Linux splice), so its
 * bytes never enter the JVM (`option splice-request` / `splice-response`). Netty's spliceTo does
 * not end by itself when the source sends its FIN: with half-closure allowed it keeps polling the
 * closed input. So once a read pass after the FIN brings nothing while nothing is left to write
 * to the peer, the source is drained (a pass also brings nothing while the pipe is full because
 * the peer is slow; then writes are pending). Then this side stops reading and the FIN is passed
 * on, exactly as the pipeline relay does.
 */
final class SpliceRelayHandler extends ChannelInboundHandlerAdapter {
    private final AbstractEpollStreamChannel peer;
    private final Side side;
    private final RelayPair pair;
    private boolean inputShut;
    private boolean drained;

    SpliceRelayHandler(AbstractEpollStreamChannel peer, Side side, RelayPair pair) {
        this.peer = peer;
        this.side = side;
        this.pair = pair;
    }

    /** Starts splicing into the peer; both channels share the event loop this runs on. */
    @SuppressWarnings("deprecation")
    void start(AbstractEpollStreamChannel self) {
        self.spliceTo(peer, Integer.MAX_VALUE).addListener(f -> {
            // A splice only ends when a channel closes; any other end is a real error.
            if (!f.isSuccess() && !(f.cause() instanceof ClosedChannelException)) {
                // A player that leaves with a reset is no error, spliced or not.
                RelayHandler.abortOn(pair, side, f.cause());
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Only bytes read before the splice began come this way; keep their order.
        if (msg instanceof ByteBuf buf) {
            peer.writeAndFlush(buf, peer.voidPromise());
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShut = true;
            pair.inputClosed(side);
        } else if (!(evt instanceof ChannelInputShutdownReadComplete)) {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!inputShut) {
            return;
        }
        ByteCountingAllocator counter = (ByteCountingAllocator) ctx.channel().config().getRecvByteBufAllocator();
        if (!drained && (counter.lastPass() > 0 || hasPendingWrites(peer))) {
            return;
        }
        // Netty turns reading back on when the peer drains; a drained source must stay off.
        ctx.channel().config().setAutoRead(false);
        if (!drained) {
            drained = true;
            pair.passFin(side);
        }
    }

    private static boolean hasPendingWrites(AbstractEpollStreamChannel ch) {
        var out = ch.unsafe().outboundBuffer();
        return out != null && !out.isEmpty();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // The other direction may go through the pipeline and wait for this channel to drain.
        if (ctx.channel().isWritable()) {
            pair.writable(side);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pair.close(side.closed(), null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        RelayHandler.abortOn(pair, side, cause);
    }
}
