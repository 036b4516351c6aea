package io.rtmprouter.proxy.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.ReferenceCountUtil;
import io.rtmprouter.proxy.transport.ByteCountingAllocator;

import java.nio.channels.ClosedChannelException;

/**
 * Moves one direction of a session socket -> pipe -> socket in the kernel (Linux splice), so its
 * bytes never enter the JVM. Under `option splice-request` / `splice-response` it splices for
 * the whole session. Under `option splice-auto` it splices in chunks of {@link #CHUNK} while the
 * direction keeps streaming fast, and hands the direction back to a {@link RelayHandler} after
 * a chunk once it no longer does (a live stream's keyframe burst, then small frames). A chunk is
 * the only way to end a Netty splice without closing; 512 KiB is about 1 ms of a VOD pull, and
 * under a second of a live stream.
 * <p>
 * Netty's spliceTo does not end by itself when the source sends its FIN: with half-closure
 * allowed it keeps polling the closed input. So once a read pass after the FIN brings nothing
 * while nothing is left to write to the peer, the source is drained (a pass also brings nothing
 * while the pipe is full because the peer is slow; then writes are pending), or once a plain
 * read meets the end of the input (after a chunk ended mid-pass: Netty then reads no more). Then
 * this side stops reading and the FIN is passed on, exactly as the pipeline relay does.
 */
final class SpliceRelayHandler extends RelayDirection {
    static final int CHUNK = 512 * 1024;
    private final AbstractEpollStreamChannel peer;
    /** null: splice for the whole session. */
    private final StreamerDetector streamer;
    private boolean inputShut;
    private boolean drained;

    SpliceRelayHandler(AbstractEpollStreamChannel peer, Side side, RelayPair pair, StreamerDetector streamer) {
        super(side, pair);
        this.peer = peer;
        this.streamer = streamer;
    }

    /** Starts splicing into the peer; both channels share the event loop this runs on. */
    @SuppressWarnings("deprecation")
    void start(AbstractEpollStreamChannel self) {
        int length = streamer == null ? Integer.MAX_VALUE : CHUNK;
        self.spliceTo(peer, length).addListener(f -> {
            if (f.isSuccess()) {
                chunkSpliced(self);
            } else if (!(f.cause() instanceof ClosedChannelException)) {
                // A splice only ends when a channel closes; any other end is a real error. A player
                // that leaves with a reset is no error, spliced or not.
                abortOn(f.cause());
            }
        });
    }

    /** A chunk was spliced in and written out: splice another, or copy again. */
    private void chunkSpliced(AbstractEpollStreamChannel self) {
        if (!self.isActive() || drained) {
            return;
        }
        // After the FIN, splicing goes on until the source is drained (see above).
        if (inputShut || streamer.fast()) {
            start(self);
        } else {
            pair.stopSplicing(side);
            self.pipeline().replace(this, Relay.RELAY, new RelayHandler(peer, side, pair, streamer));
        }
        // The chunk's bytes are all written, so the pipe is empty. Netty turns reading back on
        // after a splice only if it was on when that splice began; a chunk's last splice may
        // begin with it off, and then nothing would turn it on again: a source that sent its FIN
        // meanwhile was never seen drained, and the FIN never reached the peer.
        self.config().setAutoRead(true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Bytes read before a splice begins come this way; keep their order.
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
        } else if (evt instanceof ChannelInputShutdownReadComplete) {
            // A plain read met the end of the input (bytes read after a chunk ended, in the same
            // pass): every byte is read and queued for the peer, and Netty reads this side no more.
            drainedNow(ctx);
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ByteCountingAllocator counter = (ByteCountingAllocator) ctx.channel().config().getRecvByteBufAllocator();
        if (streamer != null) {
            streamer.onPass(counter.lastPass());
        }
        if (!inputShut) {
            return;
        }
        if (!drained && (counter.lastPass() > 0 || hasPendingWrites(peer))) {
            return;
        }
        drainedNow(ctx);
    }

    /** The FIN follows what is queued for the peer; Netty turns reading back on when the peer drains, so stop it. */
    private void drainedNow(ChannelHandlerContext ctx) {
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
}
