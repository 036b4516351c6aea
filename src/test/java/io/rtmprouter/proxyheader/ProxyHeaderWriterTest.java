package io.rtmprouter.proxyheader;

import io.netty.channel.embedded.EmbeddedChannel;
import io.rtmprouter.config.ProxyHeader;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.HexFormat;

import static io.rtmprouter.testing.EmbeddedBytes.drainOutbound;
import static io.rtmprouter.testing.EmbeddedBytes.drainOutboundBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The PROXY headers HAProxy's make_proxy_line writes, byte for byte. */
class ProxyHeaderWriterTest {
    private static final InetSocketAddress CLIENT4 = new InetSocketAddress("203.0.113.7", 5555);
    private static final InetSocketAddress REACHED6 = new InetSocketAddress("2001:db8::1", 1935);

    @Test
    void mixedFamiliesAreWrittenAsTcp6WithTheIpv4AddressMapped() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ProxyHeaderWriter.write(ch, ProxyHeader.V1, CLIENT4, REACHED6);
        assertEquals("PROXY TCP6 ::ffff:203.0.113.7 2001:db8::1 5555 1935\r\n", drainOutbound(ch));
        assertNull(ch.pipeline().get("proxy-header-encoder"), "the encoder leaves once the header is written");
    }

    @Test
    void withoutAddressesV1SaysUnknownAndV2SendsLocal() {
        EmbeddedChannel v1 = new EmbeddedChannel();
        ProxyHeaderWriter.write(v1, ProxyHeader.V1, null, null);
        assertEquals("PROXY UNKNOWN\r\n", drainOutbound(v1));
        EmbeddedChannel v2 = new EmbeddedChannel();
        ProxyHeaderWriter.write(v2, ProxyHeader.V2, null, null);
        assertArrayEquals(HexFormat.of().parseHex("0d0a0d0a000d0a515549540a" + "20" + "00" + "0000"), drainOutboundBytes(v2));
    }

    @Test
    void v2WritesTcp6AddressesIn36Bytes() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ProxyHeaderWriter.write(ch, ProxyHeader.V2, new InetSocketAddress("2001:db8::7", 40000), REACHED6);
        byte[] expected = HexFormat.of().parseHex("0d0a0d0a000d0a515549540a" + "21" + "21" + "0024"
                + "20010db8000000000000000000000007" + "20010db8000000000000000000000001" + "9c40" + "078f");
        assertArrayEquals(expected, drainOutboundBytes(ch));
    }
}
