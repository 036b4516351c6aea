package io.rtmprouter.proxy.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.rtmprouter.proxy.transport.TlsCloseNotify;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TlsCloseNotifyTest {
    /** Records the user events that reach it. */
    private static final class Events extends ChannelInboundHandlerAdapter {
        final List<Object> seen = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            seen.add(evt);
            ctx.fireUserEventTriggered(evt);
        }
    }

    private final Events before = new Events();
    private final Events after = new Events();
    private final EmbeddedChannel ch = new EmbeddedChannel(before, new TlsCloseNotify(), after);

    @Test
    void aCloseNotifyReachesEveryStageAsTheClientsFinAndTheTcpFinAfterItIsNotToldAgain() {
        ch.pipeline().fireUserEventTriggered(SslCloseCompletionEvent.SUCCESS);
        assertEquals(List.of(SslCloseCompletionEvent.SUCCESS, ChannelInputShutdownEvent.INSTANCE), before.seen,
                "the stages before TLS see the FIN too");
        assertEquals(List.of(ChannelInputShutdownEvent.INSTANCE), after.seen);

        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
        assertEquals(List.of(ChannelInputShutdownEvent.INSTANCE, ChannelInputShutdownReadComplete.INSTANCE), after.seen,
                "one FIN only; the rest passes");
        ch.finishAndReleaseAll();
    }

    @Test
    void aTcpFinWithoutCloseNotifyPassesOnceAndAFailedCloseIsNoFin() {
        ch.pipeline().fireUserEventTriggered(new SslCloseCompletionEvent(new javax.net.ssl.SSLException("bad record")));
        assertEquals(List.of(), after.seen, "a close that failed is an error, reported by the TLS stage");
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        ch.pipeline().fireUserEventTriggered(SslCloseCompletionEvent.SUCCESS);
        assertEquals(List.of(ChannelInputShutdownEvent.INSTANCE), after.seen);
        ch.finishAndReleaseAll();
    }
}
