package io.rtmprouter.proxy.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.rtmprouter.proxy.relay.PipeBudget;
import io.rtmprouter.proxy.relay.Relay;
import io.rtmprouter.proxy.relay.RelayHandler;
import io.rtmprouter.proxy.relay.RelayPair;
import io.rtmprouter.proxy.relay.Side;
import io.rtmprouter.proxy.relay.StreamerDetector;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.session.Termination;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

import static io.rtmprouter.testing.EmbeddedBytes.drainOutbound;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelayHandlerTest {
    private final Session session = new Session(new InetSocketAddress("127.0.0.5", 40000),
            new InetSocketAddress("127.0.0.1", 1935), "ft");
    private final AtomicInteger closedCalls = new AtomicInteger();
    private final EmbeddedChannel client = new EmbeddedChannel();
    private final EmbeddedChannel server = new EmbeddedChannel();
    private final PipeBudget pipes = new PipeBudget(0);
    private RelayPair pair;

    private void join() {
        pair = new RelayPair(client, server, session, pipes, closedCalls::incrementAndGet);
        client.pipeline().addLast(new RelayHandler(server, Side.CLIENT, pair, null));
        server.pipeline().addLast(new RelayHandler(client, Side.SERVER, pair, null));
    }

    @Test
    void aStreamingDirectionStaysInThePipelineWhenMaxpipesLeavesNoPipe() {
        pair = new RelayPair(client, server, session, pipes, closedCalls::incrementAndGet);
        RelayHandler relay = new RelayHandler(client, Side.SERVER, pair, new StreamerDetector());
        server.pipeline().addLast(Relay.RELAY, relay);
        byte[] block = new byte[StreamerDetector.FULL_BUFFER];
        for (int pass = 0; pass < 5; pass++) {
            block[0] = (byte) pass;
            server.writeInbound(Unpooled.wrappedBuffer(block.clone()));
            ByteBuf got = client.readOutbound();
            assertEquals(block.length, got.readableBytes());
            assertEquals(pass, got.getByte(0), "every pass is relayed, in order");
            got.release();
        }
        assertEquals(relay, server.pipeline().get(Relay.RELAY), "no pipe: still copying");
        assertFalse(session.spliced());
        assertEquals(0, pipes.inUse());
        client.finishAndReleaseAll();
        server.finishAndReleaseAll();
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, US_ASCII);
    }

    @Test
    void copiesExactBytesBothWays() {
        join();
        byte[] c0c1 = new byte[1537];
        c0c1[0] = 3;
        c0c1[1536] = (byte) 0xAB;
        client.writeInbound(Unpooled.wrappedBuffer(c0c1));
        ByteBuf got = server.readOutbound();
        assertEquals(ByteBufUtil.hexDump(c0c1), ByteBufUtil.hexDump(got));
        got.release();
        server.writeInbound(bytes("S0S1S2"));
        assertEquals("S0S1S2", drainOutbound(client));
        assertNull(client.readInbound(), "nothing is left behind in the pipeline");
        client.finishAndReleaseAll();
        server.finishAndReleaseAll();
    }

    @Test
    void stopsReadingWhileThePeerCannotTakeMoreAndResumesWhenItDrains() {
        server.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        join();
        client.pipeline().fireChannelRead(bytes("0123456789abcdefghij"));
        assertFalse(server.isWritable());
        assertFalse(client.config().isAutoRead(), "backpressure: the client is no longer read");
        client.pipeline().fireChannelReadComplete();
        assertTrue(server.isWritable());
        assertTrue(client.config().isAutoRead(), "resumed once the server side drained");
        assertEquals("0123456789abcdefghij", drainOutbound(server));
        client.finishAndReleaseAll();
        server.finishAndReleaseAll();
    }

    @Test
    void aFinFromTheClientEndsTheSessionAsAClientClose() {
        join();
        client.writeInbound(bytes("last words"));
        client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        client.runPendingTasks();
        server.runPendingTasks();
        assertEquals("last words", drainOutbound(server), "what was read before the FIN still reaches the server");
        assertFalse(server.isOpen());
        assertFalse(client.isOpen());
        assertEquals(Termination.CLIENT_CLOSE, session.termination());
        assertEquals(1, closedCalls.get());
    }

    @Test
    void serverInactivityEndsTheSessionAsAServerTimeout() {
        join();
        server.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        client.runPendingTasks();
        server.runPendingTasks();
        assertFalse(client.isOpen());
        assertFalse(server.isOpen());
        assertEquals(Termination.SERVER_TIMEOUT, session.termination());
        assertEquals(1, closedCalls.get());
    }

    @Test
    void aResetFromTheClientAbortsBothSidesOnce() {
        join();
        client.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
        server.pipeline().fireExceptionCaught(new IOException("Broken pipe"));
        client.runPendingTasks();
        server.runPendingTasks();
        assertFalse(client.isOpen());
        assertFalse(server.isOpen());
        assertEquals(Termination.CLIENT_RESET, session.termination());
        assertEquals(1, closedCalls.get());
        assertTrue(session.logLine().endsWith("term=client_reset"), session.logLine());
    }

    @Test
    void otherErrorsAreLoggedWithTheirCause() {
        join();
        server.pipeline().fireExceptionCaught(new IOException("No route to host"));
        assertEquals(Termination.SERVER_ERROR, session.termination());
        assertTrue(session.logLine().endsWith("term=server_error detail=\"No route to host\""), session.logLine());
        client.finishAndReleaseAll();
        server.finishAndReleaseAll();
    }

    @Test
    void theLogLineIsLogfmtWithEveryField() {
        session.routed("bk_rtmp");
        session.connecting("media01");
        session.clientSent(12);
        session.end(Termination.SERVER_CLOSE, null);
        String line = session.logLine();
        assertTrue(line.matches("event=end session=\\d+ client=127\\.0\\.0\\.5:40000 frontend=ft backend=bk_rtmp"
                + " server=media01 proto=tcp ts_accept=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"
                + " bytes_in=12 bytes_out=0 duration_ms=\\d+ queue_ms=0 connect_ms=-1"
                + " retries=0 redispatched=false splice=false term=server_close"), line);
    }
}
