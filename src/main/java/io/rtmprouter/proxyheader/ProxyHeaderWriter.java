package io.rtmprouter.proxyheader;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import io.rtmprouter.config.ProxyHeader;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Writes the PROXY header a `send-proxy` / `send-proxy-v2` server connection starts with, as
 * HAProxy builds it (make_proxy_line): TCP4 when both addresses are IPv4, else TCP6 with IPv4
 * written as IPv4-mapped; without addresses `PROXY UNKNOWN` in v1 and the LOCAL command in v2 (a
 * health check's). Netty's encoder writes the bytes.
 */
public final class ProxyHeaderWriter {
    private static final String ENCODER = "proxy-header-encoder";
    private static final byte[] V1_UNKNOWN = "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII);

    private ProxyHeaderWriter() {
    }

    /**
     * Writes the header first on a connected channel, on its event loop.
     *
     * @param source      the client; null for a connection of the router's own (a v2 health check)
     * @param destination the address the client connected to
     */
    public static void write(Channel ch, ProxyHeader version, InetSocketAddress source, InetSocketAddress destination) {
        if (version == ProxyHeader.V1 && (source == null || destination == null)) {
            // Netty's encoder writes v1 with addresses only; this line has none.
            ch.writeAndFlush(Unpooled.copiedBuffer(V1_UNKNOWN), ch.voidPromise());
            return;
        }
        ch.pipeline().addFirst(ENCODER, HAProxyMessageEncoder.INSTANCE);
        try {
            ch.writeAndFlush(message(version, source, destination), ch.voidPromise());
        } finally {
            // The write was encoded as it went through: the encoder has no more to do.
            ch.pipeline().remove(ENCODER);
        }
    }

    static HAProxyMessage message(ProxyHeader version, InetSocketAddress source, InetSocketAddress destination) {
        HAProxyProtocolVersion v = version == ProxyHeader.V2 ? HAProxyProtocolVersion.V2 : HAProxyProtocolVersion.V1;
        if (source == null || destination == null) {
            return new HAProxyMessage(v, HAProxyCommand.LOCAL, HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0);
        }
        InetAddress src = source.getAddress();
        InetAddress dst = destination.getAddress();
        boolean v4 = src instanceof Inet4Address && dst instanceof Inet4Address;
        return new HAProxyMessage(v, HAProxyCommand.PROXY, v4 ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6,
                text(src, v4), text(dst, v4), source.getPort(), destination.getPort());
    }

    private static String text(InetAddress a, boolean v4) {
        if (v4 || !(a instanceof Inet4Address)) {
            return NetUtil.toAddressString(a);
        }
        return "::ffff:" + a.getHostAddress();
    }
}
