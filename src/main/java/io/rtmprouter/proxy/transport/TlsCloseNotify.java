package io.rtmprouter.proxy.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;

/**
 * Sits after the TLS stage: the client's close_notify is its FIN, so every stage (inspection,
 * server selection, the relay, an RTMPT carrier) sees it as one, and the TCP FIN that usually
 * follows is not told twice. Netty only reports the close_notify and keeps the session open; a
 * client that waits for our own close_notify (librtmp's gnutls_bye) then waited until `timeout
 * client`, since under TLS 1.3 the JDK does not answer a close_notify by itself. Told as a FIN,
 * the session ends as any other, and closing the client's side sends our close_notify.
 */
public final class TlsCloseNotify extends ChannelInboundHandlerAdapter {
    private boolean told;
    private boolean telling;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslCloseCompletionEvent closed) {
            if (closed.isSuccess() && !told) {
                told = true;
                // From the head, so that the stages before TLS (the inspection deadline) see it too.
                telling = true;
                try {
                    ctx.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
                } finally {
                    telling = false;
                }
            }
            return;
        }
        if (evt instanceof ChannelInputShutdownEvent && !telling) {
            if (told) {
                return; // the TCP FIN after the close_notify
            }
            told = true;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
