package io.rtmprouter.proxy.accept;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.session.Termination;

import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * After Netty's HAProxyMessageDecoder on an `accept-proxy` bind: the header's addresses become
 * the session's client and frontend address, then the stages that follow are installed
 * ({@code next}, after this stage's context) and this stage leaves. A LOCAL command (an upstream
 * proxy's own health check) and an UNKNOWN or UNIX family keep the connection's addresses, as
 * HAProxy does. A malformed header ends the session as a bad request.
 */
public final class ProxyHeaderReader extends ChannelInboundHandlerAdapter {
    public static final String DECODER = "proxy-header-decoder";
    public static final String NAME = "proxy-header";
    private final Consumer<ChannelHandlerContext> next;

    public ProxyHeaderReader(Consumer<ChannelHandlerContext> next) {
        this.next = next;
    }

    /** The decoder asks for more as long as the header is incomplete; the first read is asked here. */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage header)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Session session = Session.of(ctx.channel());
        try {
            session.awaiting(null);
            boolean inet = header.proxiedProtocol() == HAProxyProxiedProtocol.TCP4
                    || header.proxiedProtocol() == HAProxyProxiedProtocol.TCP6;
            if (header.command() == HAProxyCommand.PROXY && inet) {
                session.proxied(new InetSocketAddress(header.sourceAddress(), header.sourcePort()),
                        new InetSocketAddress(header.destinationAddress(), header.destinationPort()));
            }
        } finally {
            header.release();
        }
        // The next stages go after this one, which then leaves: the decoder hands them what
        // followed the header as it leaves in turn.
        next.accept(ctx);
        ctx.pipeline().remove(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException) {
            Session.of(ctx.channel()).end(Termination.BAD_REQUEST, "bad PROXY header: " + cause.getMessage());
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
