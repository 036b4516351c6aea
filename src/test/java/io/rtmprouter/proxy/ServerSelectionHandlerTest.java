package io.rtmprouter.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.proxy.route.ServerSelectionHandler;
import io.rtmprouter.proxy.session.Session;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.rtmprouter.testing.EmbeddedBytes.drainOutbound;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerSelectionHandlerTest {
    private FakeServers fake;
    private List<FakeServers.Attempt> attempts;
    private List<Session> logged;
    private BackendPool pool;

    private void configure(String backendLines) throws Exception {
        fake = new FakeServers("listen l\n mode tcp\n bind :1935\n" + backendLines);
        attempts = fake.attempts;
        logged = fake.logged;
        pool = fake.pools.get("l");
    }

    private EmbeddedClient client(String ip) {
        return fake.client(ip);
    }

    private static void advance(EmbeddedChannel ch, Duration d) {
        ch.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
    }

    @Test
    void bytesSentBeforeTheServerAnswersAreWrittenFirstInOrderThenTheHandlerLeaves() throws Exception {
        configure(" server s1 10.0.0.1:1936\n");
        EmbeddedClient c = client("127.0.0.5");
        assertEquals(1, attempts.size());
        assertEquals(new InetSocketAddress("10.0.0.1", 1936), attempts.get(0).target());
        c.writeInbound(Unpooled.copiedBuffer("\u0003C1-part-1|", US_ASCII));
        c.writeInbound(Unpooled.copiedBuffer("C1-part-2", US_ASCII));
        EmbeddedChannel s = attempts.get(0).server();
        assertNull(s.readOutbound(), "nothing reaches the server before it is connected");

        attempts.get(0).promise().setSuccess();
        assertEquals("\u0003C1-part-1|C1-part-2", drainOutbound(s));
        assertNull(c.pipeline().get(ServerSelectionHandler.class), "the stage removed itself");
        c.writeInbound(Unpooled.copiedBuffer("C2", US_ASCII));
        assertEquals("C2", drainOutbound(s));
        s.writeInbound(Unpooled.copiedBuffer("S0S1S2", US_ASCII));
        assertEquals("S0S1S2", drainOutbound(c));
        assertEquals(1, pool.servers().get(0).currentConnections());

        c.close();
        s.runPendingTasks();
        c.runPendingTasks();
        assertEquals(1, logged.size());
        String line = logged.get(0).logLine();
        assertTrue(line.contains(" client=127.0.0.5:40000 frontend=l backend=l server=s1 proto=tcp "), line);
        assertTrue(line.endsWith("term=client_close"), line);
        assertEquals(0, pool.servers().get(0).currentConnections(), "the slot went back to the pool");
    }

    @Test
    void aQueuedClientIsClosedAtTimeoutQueueAndNeverConnected() throws Exception {
        configure(" timeout queue 2s\n server s1 10.0.0.1:1936 maxconn 1\n");
        EmbeddedClient first = client("127.0.0.5");
        attempts.get(0).promise().setSuccess();
        EmbeddedClient second = client("127.0.0.6");
        assertEquals(1, attempts.size(), "the second client waits: no connection attempt");
        assertEquals(1, pool.queuedInBackend());

        advance(second, Duration.ofMillis(1999));
        assertTrue(second.isOpen());
        advance(second, Duration.ofMillis(1));
        assertFalse(second.isOpen());
        assertEquals(0, pool.queuedInBackend());
        String line = logged.get(0).logLine();
        assertTrue(line.contains(" client=127.0.0.6:40000 ") && line.contains(" server=- ")
                && line.endsWith("term=queue_timeout"), line);

        first.close();
        first.runPendingTasks();
        assertEquals(1, attempts.size(), "the freed slot had nobody left to serve");
        attempts.get(0).server().finishAndReleaseAll();
    }

    @Test
    void aQueuedClientThatLeavesGivesUpItsPlace() throws Exception {
        configure(" server s1 10.0.0.1:1936 maxconn 1\n");
        EmbeddedClient first = client("127.0.0.5");
        attempts.get(0).promise().setSuccess();
        EmbeddedClient leaving = client("127.0.0.6");
        EmbeddedClient waiting = client("127.0.0.7");
        assertEquals(2, pool.queuedInBackend());
        leaving.close();
        assertEquals(1, pool.queuedInBackend());
        assertTrue(logged.get(0).logLine().endsWith("term=client_abort"), logged.get(0).logLine());

        first.close();
        attempts.get(0).server().runPendingTasks();
        first.runPendingTasks();
        waiting.runPendingTasks();
        assertEquals(2, attempts.size(), "the slot went to the client still waiting");
        assertTrue(waiting.isOpen());
        attempts.get(1).promise().setSuccess();
        assertEquals(1, pool.servers().get(0).currentConnections());
        waiting.finishAndReleaseAll();
    }

    @Test
    void aRefusedConnectionIsRetriedAfterTheTurnAroundThenTheClientIsClosed() throws Exception {
        configure(" retries 1\n server s1 10.0.0.1:1936\n");
        EmbeddedClient c = client("127.0.0.5");
        c.writeInbound(Unpooled.copiedBuffer("hello", US_ASCII));
        attempts.get(0).promise().setFailure(new ConnectException("Connection refused"));
        assertEquals(1, attempts.size());
        advance(c, Duration.ofMillis(999));
        assertEquals(1, attempts.size(), "HAProxy's turn-around: min(1 s, timeout connect)");
        advance(c, Duration.ofMillis(1));
        assertEquals(2, attempts.size());
        attempts.get(1).promise().setFailure(new ConnectException("Connection refused"));
        assertFalse(c.isOpen());
        String line = logged.get(0).logLine();
        assertTrue(line.contains(" server=s1 ") && line.contains(" retries=1 redispatched=false ")
                && line.endsWith("term=connect_error detail=\"s1: Connection refused\""), line);
        assertEquals(0, pool.servers().get(0).currentConnections());
    }

    @Test
    void withRedispatchTheLastRetryGoesToAnotherServerAndKeepsTheClientsBytes() throws Exception {
        configure(" retries 1\n option redispatch\n server s1 10.0.0.1:1936\n server s2 10.0.0.2:1936\n");
        EmbeddedClient c = client("127.0.0.5");
        c.writeInbound(Unpooled.copiedBuffer("C0C1", US_ASCII));
        attempts.get(0).promise().setFailure(new ConnectException("Connection refused"));
        assertEquals(2, attempts.size(), "redispatched at once, without the turn-around");
        assertEquals(new InetSocketAddress("10.0.0.2", 1936), attempts.get(1).target());
        attempts.get(1).promise().setSuccess();
        assertEquals("C0C1", drainOutbound(attempts.get(1).server()));
        assertEquals(0, pool.servers().get(0).currentConnections());
        assertEquals(1, pool.servers().get(1).currentConnections());
        c.close();
        attempts.get(1).server().runPendingTasks();
        c.runPendingTasks();
        String line = logged.get(0).logLine();
        assertTrue(line.contains(" server=s2 ") && line.contains(" retries=1 redispatched=true "), line);
    }

    @Test
    void noServerUpClosesTheClientAtOnce() throws Exception {
        configure(" server s1 10.0.0.1:1936 disabled\n");
        EmbeddedClient c = client("127.0.0.5");
        assertFalse(c.isOpen());
        assertEquals(List.of(), attempts);
        assertTrue(logged.get(0).logLine().endsWith("term=no_server detail=\"no server available\""),
                logged.get(0).logLine());
    }
}
