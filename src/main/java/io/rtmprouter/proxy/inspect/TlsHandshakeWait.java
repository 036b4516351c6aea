package io.rtmprouter.proxy.inspect;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.rtmprouter.proxy.session.InspectionEvent;
import io.rtmprouter.proxy.session.NextStage;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.session.Termination;

import javax.net.ssl.SSLException;

/**
 * An `ssl` bind of a mode tcp frontend: HAProxy makes the session once the TLS handshake is
 * done, and so does this stage; it then installs routing ({@code next}) after itself, tells it
 * inspection is over, and leaves. A failed handshake is a client that does not speak our TLS.
 */
public final class TlsHandshakeWait extends ChannelInboundHandlerAdapter {
    public static final String NAME = "tls-handshake";
    private final NextStage next;

    public TlsHandshakeWait(NextStage next) {
        this.next = next;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        Session.of(ctx.channel()).awaiting("the TLS handshake");
    }

    /** The first read of the ClientHello; Netty's TLS stage reads on until its handshake is done. */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess()) {
                fail(ctx, done.cause());
                return;
            }
            Session.of(ctx.channel()).awaiting(null);
            next.addAfter(ctx);
            ctx.pipeline().remove(this);
            ctx.pipeline().fireUserEventTriggered(InspectionEvent.DONE);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                fail(ctx, c);
                return;
            }
        }
        ctx.fireExceptionCaught(cause);
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        Session.of(ctx.channel()).end(Termination.BAD_REQUEST, "TLS handshake failed: "
                + (cause == null ? "no reason" : cause.getMessage()));
        ctx.close();
    }
}
