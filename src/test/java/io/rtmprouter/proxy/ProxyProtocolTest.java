package io.rtmprouter.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.HexFormat;

import static io.rtmprouter.testing.EmbeddedBytes.drainOutbound;
import static io.rtmprouter.testing.EmbeddedBytes.drainOutboundBytes;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `accept-proxy` binds and `send-proxy` servers on the session pipeline, with the exact bytes. */
class ProxyProtocolTest {
    private static final String LISTEN = """
            listen l
             mode tcp
             bind :1935 accept-proxy
            %s
             server s1 10.0.0.1:1936 %s
            """;

    private static void write(EmbeddedChannel ch, String ascii) {
        ch.writeInbound(Unpooled.copiedBuffer(ascii, US_ASCII));
        ch.runPendingTasks();
    }

    @Test
    void aV1HeaderNamesTheClientAndWhatFollowsItReachesTheServerUntouched() throws Exception {
        FakeServers fake = new FakeServers(LISTEN.formatted("", ""));
        EmbeddedClient c = fake.proxiedClient("127.0.0.5");
        assertTrue(fake.attempts.isEmpty(), "nothing is routed before the header");
        write(c, "PROXY TCP4 203.0.113.7 198.51.100.1 5555 1935\r\n\u0003C1");
        assertEquals(new InetSocketAddress("203.0.113.7", 5555), c.session().client());
        assertEquals(new InetSocketAddress("198.51.100.1", 1935), c.session().frontendAddress());
        fake.attempts.get(0).promise().setSuccess();
        assertEquals("\u0003C1", drainOutbound(fake.attempts.get(0).server()), "the header is not passed on");
        c.finishAndReleaseAll();
        assertTrue(fake.lastLog().contains("client=203.0.113.7:5555 "), fake.lastLog());
    }

    @Test
    void aHeaderSplitAcrossReadsIsWaitedFor() throws Exception {
        FakeServers fake = new FakeServers(LISTEN.formatted("", ""));
        EmbeddedClient c = fake.proxiedClient("127.0.0.5");
        write(c, "PROXY TCP6 2001:db8::7 2001:d");
        assertTrue(fake.attempts.isEmpty());
        write(c, "b8::1 40000 1935\r\n");
        assertEquals(new InetSocketAddress("2001:db8::7", 40000), c.session().client());
        assertEquals(1, fake.attempts.size());
        c.finishAndReleaseAll();
    }

    @Test
    void connectionRulesSeeTheUpstreamProxyAndSessionRulesTheClient() throws Exception {
        FakeServers fake = new FakeServers(LISTEN.formatted("""
                 tcp-request connection reject if { src 203.0.113.7 }
                 tcp-request session reject if { src 203.0.113.7 }""", ""));
        EmbeddedClient c = fake.proxiedClient("127.0.0.5");
        assertTrue(c.isOpen(), "the connection comes from 127.0.0.5");
        write(c, "PROXY TCP4 203.0.113.7 127.0.0.1 5555 1935\r\n");
        assertFalse(c.isOpen());
        assertTrue(fake.lastLog().endsWith("term=rejected detail=\"tcp-request session reject at t.cfg:5\""),
                fake.lastLog());
    }

    @Test
    void aLocalCommandKeepsTheConnectionsAddresses() throws Exception {
        FakeServers fake = new FakeServers(LISTEN.formatted("", ""));
        EmbeddedClient c = fake.proxiedClient("127.0.0.5");
        // v2 signature, version 2 + LOCAL, AF_UNSPEC, no address block
        c.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex("0d0a0d0a000d0a515549540a" + "20" + "00" + "0000")));
        c.runPendingTasks();
        assertEquals(new InetSocketAddress("127.0.0.5", 40000), c.session().client());
        assertEquals(1, fake.attempts.size());
        c.finishAndReleaseAll();
    }

    @Test
    void aMalformedHeaderIsABadRequest() throws Exception {
        FakeServers fake = new FakeServers(LISTEN.formatted("", ""));
        EmbeddedClient c = fake.proxiedClient("127.0.0.5");
        write(c, "PROXY TCP4 not-an-address 127.0.0.1 5555 1935\r\n");
        assertFalse(c.isOpen());
        assertTrue(fake.lastLog().contains("term=bad_request detail=\"bad PROXY header: "), fake.lastLog());
        assertTrue(fake.attempts.isEmpty());
    }

    @Test
    void aSendProxyServerHearsTheClientFirstInV1() throws Exception {
        FakeServers fake = new FakeServers(LISTEN.formatted("", "send-proxy"));
        EmbeddedClient c = fake.proxiedClient("127.0.0.5");
        write(c, "PROXY TCP4 203.0.113.7 198.51.100.1 5555 1935\r\nhello");
        fake.attempts.get(0).promise().setSuccess();
        assertEquals("PROXY TCP4 203.0.113.7 198.51.100.1 5555 1935\r\nhello",
                drainOutbound(fake.attempts.get(0).server()));
        c.finishAndReleaseAll();
    }

    @Test
    void aSendProxyV2ServerGetsTheBinaryHeader() throws Exception {
        FakeServers fake = new FakeServers(LISTEN.formatted("", "send-proxy-v2"));
        EmbeddedClient c = fake.proxiedClient("127.0.0.5");
        write(c, "PROXY TCP4 203.0.113.7 198.51.100.1 5555 1935\r\nhi");
        fake.attempts.get(0).promise().setSuccess();
        byte[] expected = HexFormat.of().parseHex("0d0a0d0a000d0a515549540a" + "21" + "11" + "000c"
                + "cb007107" + "c6336401" + "15b3" + "078f" + "6869");
        assertArrayEquals(expected, drainOutboundBytes(fake.attempts.get(0).server()));
        c.finishAndReleaseAll();
    }

    @Test
    void withoutAcceptProxyTheHeaderNamesTheConnectionsOwnAddresses() throws Exception {
        FakeServers fake = new FakeServers(LISTEN.formatted("", "send-proxy").replace("accept-proxy", ""));
        EmbeddedClient c = fake.client("127.0.0.5");
        c.runPendingTasks();
        fake.attempts.get(0).promise().setSuccess();
        // EmbeddedClient's local address is 127.0.0.1:1935: both IPv4, so TCP4.
        assertEquals("PROXY TCP4 127.0.0.5 127.0.0.1 40000 1935\r\n", drainOutbound(fake.attempts.get(0).server()));
        c.finishAndReleaseAll();
    }

    @Test
    void expectProxyLayer4AsksOnlyTheConnectionsItsRuleMatches() throws Exception {
        FakeServers fake = new FakeServers(LISTEN.replace(" accept-proxy", "").formatted(
                " tcp-request connection expect-proxy layer4 if { src 127.0.0.5 }", ""));
        EmbeddedClient balancer = fake.client("127.0.0.5");
        write(balancer, "PROXY TCP4 203.0.113.7 198.51.100.1 5555 1935\r\nhello");
        assertEquals(new InetSocketAddress("203.0.113.7", 5555), balancer.session().client());
        EmbeddedClient direct = fake.client("127.0.0.6");
        write(direct, "hello");
        assertEquals(new InetSocketAddress("127.0.0.6", 40000), direct.session().client(), "no header asked of it");
        assertEquals(2, fake.attempts.size());
        fake.attempts.get(0).promise().setSuccess();
        assertEquals("hello", drainOutbound(fake.attempts.get(0).server()), "the header is not passed on");
        balancer.finishAndReleaseAll();
        direct.finishAndReleaseAll();
    }

    @Test
    void expectProxyIsAConnectionRuleOfLayer4AsHaproxySays() {
        java.util.List<String> content = org.junit.jupiter.api.Assertions.assertThrows(io.rtmprouter.config.ConfigException.class,
                () -> io.rtmprouter.config.ConfigParser.parse("t.cfg", LISTEN.formatted(
                        " tcp-request content expect-proxy layer4", ""))).errors();
        assertEquals(java.util.List.of("[ALERT] t.cfg:4: 'expect-proxy layer4' is not allowed in 'tcp-request content'"
                + " rules in proxy 'l'"), content);
        java.util.List<String> layer = org.junit.jupiter.api.Assertions.assertThrows(io.rtmprouter.config.ConfigException.class,
                () -> io.rtmprouter.config.ConfigParser.parse("t.cfg", LISTEN.formatted(
                        " tcp-request connection expect-proxy if TRUE", ""))).errors();
        assertEquals(java.util.List.of("[ALERT] t.cfg:4: 'tcp-request connection expect-proxy' only supports 'layer4'"
                + " in proxy 'l' (got 'if')"), layer);
    }
}
