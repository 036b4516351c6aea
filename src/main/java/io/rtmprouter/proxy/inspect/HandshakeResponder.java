package io.rtmprouter.proxy.inspect;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.rtmprouter.proxy.session.InspectionEvent;
import io.rtmprouter.proxy.session.NextStage;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.session.Termination;
import io.rtmprouter.proxy.transport.GatheringStage;
import io.rtmprouter.rtmp.Handshake;
import io.rtmprouter.rtmp.ServerHandshake;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Answers the client's RTMP handshake as a server would: reads C0+C1, writes S0+S1+S2 (digest
 * form when the client used it, which ffmpeg checks when it plays), reads C2 without judging
 * it, and hands what follows to the connect reader. RTMPE (C0 = 6 or 8) cannot be inspected:
 * its bytes go on untouched, to be routed like `mode tcp`.
 */
public final class HandshakeResponder extends GatheringStage {
    public static final String NAME = "rtmp-handshake";
    private static final int C0_C1 = 1 + Handshake.PACKET_SIZE;
    private static final long STARTED = System.nanoTime();

    private final NextStage route;
    private boolean answered;
    private Session session;

    /** @param route the stage that takes the session once its connect is read (or known unreadable) */
    public HandshakeResponder(NextStage route) {
        this.route = route;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        session = Session.of(ctx.channel());
        if (session.awaiting() == null) {
            // A tunnelled session starts here; a socket's starts with protocol detection, which says what it awaits.
            session.awaiting("C0+C1");
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    protected void onBytes(ChannelHandlerContext ctx, ByteBuf buffered) {
        if (!answered) {
            session.awaiting("C0+C1");
            int version = buffered.getUnsignedByte(buffered.readerIndex());
            if (version == 6 || version == 8) {
                passEncrypted(ctx);
                return;
            }
            if (version != Handshake.VERSION) {
                session.end(Termination.BAD_REQUEST, String.format("first byte 0x%02x is not RTMP version 3", version));
                ctx.close();
                return;
            }
            if (buffered.readableBytes() < C0_C1) {
                return;
            }
            byte[] c1 = new byte[Handshake.PACKET_SIZE];
            buffered.skipBytes(1).readBytes(c1);
            int uptime = (int) ((System.nanoTime() - STARTED) / 1_000_000);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(ServerHandshake.answer(c1, ThreadLocalRandom.current(), uptime)));
            answered = true;
            session.awaiting("C2");
        }
        if (buffered.readableBytes() < Handshake.PACKET_SIZE) {
            return;
        }
        // C2 is not checked: Flash-era clients and librtmp disagree on what it echoes.
        buffered.skipBytes(Handshake.PACKET_SIZE);
        session.awaiting("connect");
        ByteBuf rest = take();
        new NextStage(ConnectReader.NAME, () -> new ConnectReader(route)).addAfter(ctx);
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(rest);
    }

    private void passEncrypted(ChannelHandlerContext ctx) {
        session.encrypted();
        ByteBuf all = take();
        // Nothing of an encrypted connect can be read: routing comes next.
        route.addAfter(ctx);
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(all);
        ctx.pipeline().fireUserEventTriggered(InspectionEvent.DONE);
    }
}
