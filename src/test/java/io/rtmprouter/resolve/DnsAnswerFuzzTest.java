package io.rtmprouter.resolve;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.balance.Server;
import io.rtmprouter.config.ConfigParser;
import io.rtmprouter.config.RouterConfig;
import io.rtmprouter.stick.MonotonicClock;
import io.rtmprouter.stick.StickTables;

import java.net.InetSocketAddress;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Any datagram from a name server, given the id of the query it answers so that it gets past the
 * id check: it is taken, judged an error, or dropped, never an exception; and the server's state
 * stays whole: an address exactly when it is out of resolution maintenance. Seed: an A answer.
 */
class DnsAnswerFuzzTest {
    static final String FUZZ_TIME = "10s";
    private static final InetSocketAddress NS = new InetSocketAddress("127.0.9.53", 53);

    @FuzzTest(maxDuration = FUZZ_TIME)
    void anyAnswerIsTakenJudgedOrDropped(byte[] data) throws Exception {
        RouterConfig c = ConfigParser.parse("t.cfg", """
                resolvers dns
                 nameserver ns1 127.0.9.53:53
                listen l
                 mode tcp
                 bind 127.0.9.1:1
                 timeout connect 1s
                 timeout client 1s
                 timeout server 1s
                 server s1 origin.test:1935 resolvers dns init-addr none resolve-prefer ipv4
                """);
        BackendPool pool = new BackendPool(c.backends().get("l"), new StickTables(c.stickTables(), MonotonicClock.SYSTEM));
        Server s = pool.servers().get(0);
        pool.setUnresolved(s, true);
        EmbeddedChannel ch = new EmbeddedChannel();
        DnsResolvers r = new DnsResolvers(c.resolvers().get("dns"), ch.eventLoop(), null, MonotonicClock.SYSTEM);
        r.follow(pool, s);
        r.attach(ch);
        DatagramPacket query = ch.readOutbound();
        byte[] answer = Arrays.copyOf(data, Math.max(2, data.length));
        answer[0] = query.content().getByte(0);
        answer[1] = query.content().getByte(1);
        query.release();
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(answer), new InetSocketAddress("127.0.0.1", 40000), NS));
        ch.runPendingTasks();
        ch.checkException();
        assertEquals(s.unresolved(), s.address() == null, "an address exactly when resolved");
        r.stop();
        ch.finishAndReleaseAll();
    }
}
