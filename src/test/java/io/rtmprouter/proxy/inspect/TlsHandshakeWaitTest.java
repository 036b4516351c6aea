package io.rtmprouter.proxy.inspect;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.rtmprouter.proxy.session.InspectionEvent;
import io.rtmprouter.proxy.session.NextStage;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.session.Termination;
import io.rtmprouter.stick.StickTables;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wait for a mode tcp `ssl` bind's handshake, before routing. */
class TlsHandshakeWaitTest {
    private final List<Object> routed = new ArrayList<>();

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel(false, false) {
            @Override
            protected java.net.SocketAddress remoteAddress0() {
                return new java.net.InetSocketAddress("127.0.0.5", 40000);
            }

            @Override
            protected java.net.SocketAddress localAddress0() {
                return new java.net.InetSocketAddress("127.0.0.1", 443);
            }
        };
        try {
            ch.register();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Session.attach(ch, "f", false, StickTables.NONE, s -> { });
        ch.pipeline().addLast(TlsHandshakeWait.NAME, new TlsHandshakeWait(new NextStage("select-server",
                () -> new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        routed.add(evt);
                    }
                })));
        return ch;
    }

    @Test
    void routingIsInstalledAndToldOnceTheHandshakeIsDone() {
        EmbeddedChannel ch = channel();
        assertEquals("the TLS handshake", Session.of(ch).awaiting());
        ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        assertNull(ch.pipeline().get(TlsHandshakeWait.NAME), "the stage left");
        assertNotNull(ch.pipeline().get("select-server"));
        assertEquals(List.of(InspectionEvent.DONE), routed);
        assertNull(Session.of(ch).awaiting());
        ch.finishAndReleaseAll();
    }

    @Test
    void aFailedHandshakeIsABadRequestAndNothingIsRouted() {
        EmbeddedChannel ch = channel();
        ch.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new SSLHandshakeException("no cipher suites in common")));
        assertFalse(ch.isOpen());
        assertEquals(Termination.BAD_REQUEST, Session.of(ch).termination());
        assertTrue(routed.isEmpty());
    }
}
