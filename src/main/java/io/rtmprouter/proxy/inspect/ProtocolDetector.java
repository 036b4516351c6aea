package io.rtmprouter.proxy.inspect;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.rtmprouter.detect.ProtocolSniffer;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.session.Termination;
import io.rtmprouter.proxy.transport.GatheringStage;

import javax.net.ssl.SSLException;

/**
 * The first stage of a mode rtmp connection: tells from the first bytes what the client speaks
 * and sets the pipeline up for it. RTMP and RTMPE go on to the handshake; TLS (on `ssl` binds
 * only) gets a TLS handler and another detector behind it; HTTP becomes an RTMPT carrier
 * connection. Anything else is closed as a bad request. The inspection deadline bounds the wait.
 */
public final class ProtocolDetector extends GatheringStage {
    /** The HTTP request line and headers of an RTMPT request are short; these are Netty's defaults' halves. */

    private final DetectedShapes shapes;
    private final boolean insideTls;
    private Session session;

    /**
     * @param shapes    what the connection may become once its protocol is known
     * @param insideTls whether this detector reads what came out of TLS
     */
    public ProtocolDetector(DetectedShapes shapes, boolean insideTls) {
        this.shapes = shapes;
        this.insideTls = insideTls;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        session = Session.of(ctx.channel());
        if (!insideTls) {
            session.awaiting("the first bytes");
        }
        // Inside TLS: the handshake is awaited first (set by the outer detector), its bytes after it.
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (insideTls && evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
            session.awaiting("the first bytes inside TLS");
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    protected void onBytes(ChannelHandlerContext ctx, ByteBuf gathered) {
        switch (ProtocolSniffer.sniff(gathered)) {
            case NEED_MORE -> {
            }
            case RTMP -> {
                session.detected(insideTls ? "rtmps" : "rtmp");
                shapes.rtmp(ctx);
                handOn(ctx);
            }
            case RTMPE -> {
                // The handshake stage tells RTMPE by its version byte and says so.
                shapes.rtmp(ctx);
                handOn(ctx);
            }
            case TLS -> startTls(ctx);
            case HTTP -> startRtmpt(ctx);
            case PROXY_HEADER -> refuse(ctx, "a PROXY protocol header, but the bind has no accept-proxy");
            case UNKNOWN -> refuse(ctx, String.format("first byte 0x%02x is neither RTMP, TLS nor HTTP",
                    gathered.getUnsignedByte(gathered.readerIndex())));
        }
    }

    private void startTls(ChannelHandlerContext ctx) {
        if (insideTls) {
            refuse(ctx, "a TLS record inside TLS");
            return;
        }
        if (!shapes.offersTls()) {
            refuse(ctx, "a TLS ClientHello on a bind without 'ssl'");
            return;
        }
        session.awaiting("the TLS handshake");
        // Until the bytes inside TLS tell rtmps from rtmpts, the session is known to be TLS only.
        session.detected("tls");
        shapes.tls(ctx);
        handOn(ctx);
    }

    private void startRtmpt(ChannelHandlerContext ctx) {
        session.detected(insideTls ? "rtmpts" : "rtmpt");
        session.awaiting("an RTMPT request");
        shapes.rtmptCarrier(ctx);
        handOn(ctx);
    }

    private void handOn(ChannelHandlerContext ctx) {
        ByteBuf all = take();
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(all);
    }

    private void refuse(ChannelHandlerContext ctx, String what) {
        session.end(Termination.BAD_REQUEST, what);
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        for (Throwable c = cause; insideTls && c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                // A failed TLS handshake is a client that does not speak our TLS: not our error.
                refuse(ctx, "TLS handshake failed: " + c.getMessage());
                return;
            }
        }
        ctx.fireExceptionCaught(cause);
    }
}
