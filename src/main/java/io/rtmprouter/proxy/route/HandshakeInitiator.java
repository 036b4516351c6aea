package io.rtmprouter.proxy.route;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ConnectTimeoutException;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.rtmprouter.proxy.transport.GatheringStage;
import io.rtmprouter.rtmp.ClientHandshake;
import io.rtmprouter.rtmp.Handshake;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Performs the client side of the RTMP handshake on a new server connection (digest form, as
 * Flash Player does), so that the client's own bytes after its C2 can follow verbatim. Completes
 * {@code done} with whatever the server sent after S2 (normally nothing), or fails it, which the
 * caller treats like a failed connect: retry, redispatch, and the client never notices.
 */
public final class HandshakeInitiator extends GatheringStage {
    private static final int S0_S1 = 1 + Handshake.PACKET_SIZE;
    private static final int S0_S1_S2 = S0_S1 + Handshake.PACKET_SIZE;

    private final Promise<ByteBuf> done;
    private final Duration timeout;
    private final ClientHandshake handshake = new ClientHandshake(ThreadLocalRandom.current(), 0);
    private ScheduledFuture<?> timer;
    private boolean sentC2;

    HandshakeInitiator(Promise<ByteBuf> done, Duration timeout) {
        this.done = done;
        this.timeout = timeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (timer != null) {
            return;
        }
        timer = ctx.executor().schedule(() -> fail(ctx, new ConnectTimeoutException("no RTMP handshake answer within "
                + timeout.toMillis() + "ms")), timeout.toNanos(), TimeUnit.NANOSECONDS);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(handshake.c0c1()));
        ctx.read();
    }

    @Override
    protected boolean finished() {
        return done.isDone();
    }

    @Override
    protected void onBytes(ChannelHandlerContext ctx, ByteBuf buffered) {
        int version = buffered.getUnsignedByte(buffered.readerIndex());
        if (version != Handshake.VERSION) {
            fail(ctx, new IOException(String.format("server answered the handshake with version 0x%02x", version)));
            return;
        }
        if (!sentC2 && buffered.readableBytes() >= S0_S1) {
            // C2 answers S1; some servers hold S2 back until they have it.
            byte[] s1 = new byte[Handshake.PACKET_SIZE];
            buffered.getBytes(buffered.readerIndex() + 1, s1);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(handshake.c2(s1)));
            sentC2 = true;
        }
        if (buffered.readableBytes() >= S0_S1_S2) {
            buffered.skipBytes(S0_S1_S2);
            ByteBuf rest = take();
            timer.cancel(false);
            ctx.pipeline().remove(this);
            if (!done.trySuccess(rest)) {
                rest.release();
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, new IOException("server closed the connection during the RTMP handshake"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause);
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (done.tryFailure(cause)) {
            ctx.close();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
        super.handlerRemoved(ctx);
    }
}
