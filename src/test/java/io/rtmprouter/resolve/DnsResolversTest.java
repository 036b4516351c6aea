package io.rtmprouter.resolve;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.balance.Server;
import io.rtmprouter.config.ConfigParser;
import io.rtmprouter.config.RouterConfig;
import io.rtmprouter.stick.StickTables;
import io.rtmprouter.testing.LeakDetectionExtension;
import io.rtmprouter.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A resolvers section on an EmbeddedChannel: the queries it writes, byte for byte, and what the
 * answers (written here as bytes) do to its servers, on a clock the test moves.
 */
@ExtendWith(LeakDetectionExtension.class)
class DnsResolversTest {
    private static final InetSocketAddress NS1 = new InetSocketAddress("127.0.9.53", 53);
    private static final InetSocketAddress NS2 = new InetSocketAddress("127.0.9.54", 53);

    private final long[] now = {1_000_000_000_000L};
    private final EmbeddedChannel ch = new EmbeddedChannel();
    private final LogCapture log = new LogCapture("resolvers");
    private BackendPool pool;

    @AfterEach
    void close() {
        log.close();
        ch.finishAndReleaseAll();
    }

    private DnsResolvers section(String resolvers, String servers) throws Exception {
        RouterConfig c = ConfigParser.parse("t.cfg", "resolvers dns\n" + resolvers + "defaults\n mode tcp\n"
                + " timeout connect 1s\n timeout client 1s\n timeout server 1s\nlisten l\n bind 127.0.9.1:1\n" + servers);
        pool = new BackendPool(c.backends().get("l"), new StickTables(c.stickTables(), () -> now[0]));
        ch.freezeTime();
        DnsResolvers r = new DnsResolvers(c.resolvers().get("dns"), ch.eventLoop(), null, () -> now[0]);
        for (Server s : pool.servers()) {
            pool.setUnresolved(s, true); // init-addr none, as the router starts it
            r.follow(pool, s);
        }
        r.attach(ch);
        return r;
    }

    private Server server(int i) {
        return pool.servers().get(i);
    }

    private void advance(long millis) {
        now[0] += TimeUnit.MILLISECONDS.toNanos(millis);
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
    }

    /** The queries written since the last call: recipient and bytes. */
    private List<DatagramPacket> queries() {
        List<DatagramPacket> out = new ArrayList<>();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            out.add((DatagramPacket) o);
        }
        return out;
    }

    /** How many queries were written since the last call (released). */
    private int sent() {
        List<DatagramPacket> q = queries();
        q.forEach(DatagramPacket::release);
        return q.size();
    }

    private static byte[] bytes(DatagramPacket p) {
        byte[] b = new byte[p.content().readableBytes()];
        p.content().getBytes(p.content().readerIndex(), b);
        p.release();
        return b;
    }

    private static int id(byte[] query) {
        return (query[0] & 0xFF) << 8 | query[1] & 0xFF;
    }

    /** An answer as a name server writes it: the question echoed, then A or AAAA records pointing at it. */
    private static byte[] answer(int id, int type, int rcode, String... addresses) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {(byte) (id >> 8), (byte) id, (byte) 0x81, (byte) (0x80 | rcode), 0, 1, 0,
                (byte) addresses.length, 0, 0, 0, 0});
        b.write(HexFormat.of().parseHex("066f726967696e047465737400" + "00" + String.format("%02x", type) + "0001"));
        for (String a : addresses) {
            byte[] ip = java.net.InetAddress.getByName(a).getAddress();
            b.write(HexFormat.of().parseHex("c00c00" + String.format("%02x", type) + "00010000003c00"
                    + String.format("%02x", ip.length)));
            b.write(ip);
        }
        return b.toByteArray();
    }

    private void reply(InetSocketAddress from, byte[] datagram) {
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(datagram), new InetSocketAddress("127.0.0.1", 40000),
                from));
        ch.runPendingTasks();
    }

    private static final int A = 1;
    private static final int AAAA = 28;

    @Test
    void theQueryIsHaproxysToTheByteAndGoesToEveryNameserver() throws Exception {
        section(" nameserver ns1 127.0.9.53:53\n nameserver ns2 127.0.9.54:53\n",
                " server s1 origin.test:1935 resolvers dns init-addr none\n");
        List<DatagramPacket> q = queries();
        assertEquals(List.of(NS1, NS2), q.stream().map(DatagramPacket::recipient).toList());
        byte[] first = bytes(q.get(0));
        // Captured from HAProxy 2.6.12 asking for origin.test (its default resolve-prefer ipv6: AAAA), but the id.
        assertEquals("01000001000000000001066f726967696e047465737400001c00010000290200000000000000",
                HexFormat.of().formatHex(first).substring(4));
        assertEquals(id(first), id(bytes(q.get(1))), "one id for the query to every name server");
    }

    @Test
    void anAaaaWithoutAnswerAsksForAAtOnceAndTheAddressBringsTheServerBack() throws Exception {
        section(" nameserver ns1 127.0.9.53:53\n", " server s1 origin.test:1935 resolvers dns init-addr none\n");
        assertEquals(Server.Status.MAINT, server(0).status());
        byte[] aaaa = bytes(queries().get(0));
        reply(NS1, answer(id(aaaa), AAAA, 0));
        List<DatagramPacket> again = queries();
        assertEquals(1, again.size(), "the A query follows at once");
        byte[] a = bytes(again.get(0));
        assertEquals("0001", HexFormat.of().formatHex(a, 25, 27), "type A");
        reply(NS1, answer(id(a), A, 0, "127.0.1.1"));
        assertEquals(new InetSocketAddress("127.0.1.1", 1935), server(0).address());
        assertEquals(Server.Status.UP, server(0).status());
        assertFalse(server(0).unresolved());
        assertEquals(List.of("l/s1 changed its IP from (none) to 127.0.1.1 by dns/ns1.",
                "Server l/s1 ('origin.test') is UP/READY (resolves again).",
                "Server l/s1 administratively READY thanks to valid DNS answer."), messages());
    }

    @Test
    void aNameThatStopsResolvingKeepsItsAddressForHoldNxThenGoesIntoMaintenance() throws Exception {
        section(" nameserver ns1 127.0.9.53:53\n hold nx 3s\n",
                " server s1 origin.test:1935 resolvers dns init-addr none resolve-prefer ipv4\n");
        reply(NS1, answer(id(bytes(queries().get(0))), A, 0, "127.0.1.1"));
        assertEquals(Server.Status.UP, server(0).status());
        for (int second = 1; second <= 3; second++) {
            advance(1000); // timeout resolve: asked again every second
            List<DatagramPacket> q = queries();
            assertEquals(1, q.size(), "one query at second " + second);
            byte[] a = bytes(q.get(0));
            reply(NS1, answer(id(a), A, 3)); // NXDOMAIN
            List<DatagramPacket> fallback = queries();
            reply(NS1, answer(id(bytes(fallback.get(0))), AAAA, 3));
            if (second < 3) {
                assertEquals(Server.Status.UP, server(0).status(), "still held at second " + second);
                assertEquals(new InetSocketAddress("127.0.1.1", 1935), server(0).address());
            }
        }
        assertEquals(Server.Status.MAINT, server(0).status());
        assertNull(server(0).address());
        assertTrue(messages().contains("Server l/s1 is going DOWN for maintenance (DNS NX status). 0 active and 0 backup"
                + " servers left. 0 sessions active, 0 requeued, 0 remaining in queue."), messages().toString());
    }

    @Test
    void noAnswerIsAskedAgainAtTimeoutRetryThenIsATimeout() throws Exception {
        section(" nameserver ns1 127.0.9.53:53\n resolve_retries 3\n timeout retry 500ms\n hold timeout 0s\n",
                " server s1 origin.test:1935 resolvers dns init-addr none resolve-prefer ipv4\n");
        reply(NS1, answer(id(bytes(queries().get(0))), A, 0, "127.0.1.1"));
        advance(1000);
        assertEquals(1, sent());
        advance(499);
        assertEquals(0, sent(), "not before timeout retry");
        advance(1);
        assertEquals(1, sent(), "second try");
        advance(500);
        assertEquals(1, sent(), "third try");
        assertEquals(Server.Status.UP, server(0).status());
        advance(500);
        assertEquals(Server.Status.MAINT, server(0).status(), "three queries unanswered: a timeout");
        assertTrue(messages().contains("Server l/s1 is going DOWN for maintenance (DNS timeout status). 0 active and 0"
                + " backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue."), messages().toString());
    }

    @Test
    void aNewAddressMovesTheServerAndTheSameAddressChangesNothing() throws Exception {
        section(" nameserver ns1 127.0.9.53:53\n", " server s1 origin.test:1935 resolvers dns init-addr none"
                + " resolve-prefer ipv4\n");
        reply(NS1, answer(id(bytes(queries().get(0))), A, 0, "127.0.1.1"));
        advance(1000);
        reply(NS1, answer(id(bytes(queries().get(0))), A, 0, "127.0.1.1"));
        advance(1000);
        reply(NS1, answer(id(bytes(queries().get(0))), A, 0, "127.0.1.2"));
        assertEquals(new InetSocketAddress("127.0.1.2", 1935), server(0).address());
        assertEquals(List.of("l/s1 changed its IP from (none) to 127.0.1.1 by dns/ns1.",
                "Server l/s1 ('origin.test') is UP/READY (resolves again).",
                "Server l/s1 administratively READY thanks to valid DNS answer.",
                "l/s1 changed its IP from 127.0.1.1 to 127.0.1.2 by dns/ns1."), messages());
    }

    @Test
    void serversOfOneNameTakeDistinctAddressesAndOneWithoutIsInMaintenance() throws Exception {
        section(" nameserver ns1 127.0.9.53:53\n", " server-template s 3 origin.test:1935 resolvers dns init-addr none"
                + " resolve-prefer ipv4\n");
        reply(NS1, answer(id(bytes(queries().get(0))), A, 0, "127.0.1.1", "127.0.1.2"));
        assertEquals(new InetSocketAddress("127.0.1.1", 1935), server(0).address());
        assertEquals(new InetSocketAddress("127.0.1.2", 1935), server(1).address());
        assertNull(server(2).address());
        assertEquals(List.of(Server.Status.UP, Server.Status.UP, Server.Status.MAINT),
                pool.servers().stream().map(Server::status).toList());
        assertTrue(messages().contains("l/s2 changed its IP from (none) to 127.0.1.2 by DNS cache."),
                "only the first server hears it from the name server, as in HAProxy: " + messages());
    }

    @Test
    void anErrorCountsOnlyOnceEveryNameserverHasAnsweredAndAValidAnswerIsTakenAtOnce() throws Exception {
        section(" nameserver ns1 127.0.9.53:53\n nameserver ns2 127.0.9.54:53\n",
                " server s1 origin.test:1935 resolvers dns init-addr none resolve-prefer ipv4\n");
        List<DatagramPacket> q = queries();
        int id = id(bytes(q.get(0)));
        bytes(q.get(1));
        reply(NS1, answer(id, A, 5)); // REFUSED from the first: wait for the second
        assertEquals(0, sent());
        reply(NS2, answer(id, A, 0, "127.0.1.7"));
        assertEquals(new InetSocketAddress("127.0.1.7", 1935), server(0).address());
        assertTrue(messages().get(0).endsWith("by dns/ns2."), messages().toString());
    }

    @Test
    void anAnswerLargerThanTheAcceptedPayloadALateOneAndAStrangersAreDropped() throws Exception {
        section(" nameserver ns1 127.0.9.53:53\n accepted_payload_size 61\n",
                " server s1 origin.test:1935 resolvers dns init-addr none resolve-prefer ipv4\n");
        int id = id(bytes(queries().get(0)));
        reply(NS1, answer(id, A, 0, "127.0.1.1", "127.0.1.2")); // header 12, question 17, 2 answers of 16: 61, taken
        assertEquals(new InetSocketAddress("127.0.1.1", 1935), server(0).address());
        advance(1000);
        int next = id(bytes(queries().get(0)));
        reply(NS1, answer(next, A, 0, "127.0.1.3", "127.0.1.4", "127.0.1.5")); // 77 bytes: dropped
        reply(NS1, answer(id, A, 0, "127.0.1.6")); // the earlier query's id: ignored
        reply(new InetSocketAddress("127.0.9.99", 53), answer(next, A, 0, "127.0.1.7")); // from no name server of ours
        assertEquals(new InetSocketAddress("127.0.1.1", 1935), server(0).address());
        reply(NS1, answer(next, A, 0, "127.0.1.8"));
        assertEquals(new InetSocketAddress("127.0.1.8", 1935), server(0).address(), "the query was still waiting");
    }

    @Test
    void aServerInForcedMaintenanceResolvesButStaysThere() throws Exception {
        section(" nameserver ns1 127.0.9.53:53\n", " server s1 origin.test:1935 resolvers dns init-addr none disabled"
                + " resolve-prefer ipv4\n");
        reply(NS1, answer(id(bytes(queries().get(0))), A, 0, "127.0.1.1"));
        assertEquals(Server.Status.MAINT, server(0).status());
        assertEquals(List.of("l/s1 changed its IP from (none) to 127.0.1.1 by dns/ns1.",
                "Server l/s1 ('origin.test') resolves again but remains in maintenance."), messages());
    }

    /** The msg="..." of each line. */
    private List<String> messages() {
        return log.lines().stream().map(l -> {
            int i = l.indexOf("msg=\"");
            return i < 0 ? l : l.substring(i + 5, l.length() - 1);
        }).toList();
    }

}
