package io.rtmprouter.proxy.route;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.rtmprouter.config.BackendConfig;
import io.rtmprouter.config.ConnectionOptions;
import io.rtmprouter.config.SocketBuffers;
import io.rtmprouter.config.SourceConfig;
import io.rtmprouter.proxy.transport.ByteCountingAllocator;
import io.rtmprouter.proxy.transport.HeldMemoryEstimator;
import io.rtmprouter.proxy.transport.Transport;

import io.rtmprouter.proxy.session.Session;

import java.net.InetSocketAddress;

/**
 * Opens connections to a backend's servers on the client's own event loop (no cross-thread
 * hand-off, and the precondition for splicing), from the address `source` asks for.
 */
public final class SocketServerConnector implements ServerConnector {
    private final Transport transport;
    private final SourceConfig source;
    private final int connectTimeoutMillis;
    private final SocketBuffers buffers;
    private final ConnectionOptions connections;

    public SocketServerConnector(Transport transport, BackendConfig backend, SocketBuffers buffers) {
        this.transport = transport;
        this.buffers = buffers;
        this.source = backend.source();
        this.connections = backend.connections();
        // Netty's own default is 30 s; HAProxy waits as long as the kernel does when unset.
        this.connectTimeoutMillis = backend.timeouts().connectTimeout().map(d -> (int) d.toMillis()).orElse(0);
    }

    @Override
    public ChannelFuture connect(Channel client, InetSocketAddress server, ByteCountingAllocator counter) {
        Bootstrap b = new Bootstrap()
                .group(client.eventLoop())
                .channel(transport.socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.RCVBUF_ALLOCATOR, counter)
                .option(ChannelOption.MESSAGE_SIZE_ESTIMATOR, HeldMemoryEstimator.INSTANCE)
                .option(ChannelOption.SO_KEEPALIVE, connections.keepAlive())
                .handler(new ChannelInboundHandlerAdapter());
        if (connections.noLinger()) {
            b.option(ChannelOption.SO_LINGER, 0);
        }
        if (buffers.serverSend() > 0) {
            b.option(ChannelOption.SO_SNDBUF, buffers.serverSend());
        }
        if (buffers.serverReceive() > 0) {
            b.option(ChannelOption.SO_RCVBUF, buffers.serverReceive());
        }
        InetSocketAddress local = localAddress(client);
        if (source != null && source.useClientIp()) {
            // Transparent proxying: the server sees the client's own address (kernel-chosen port).
            b.option(EpollChannelOption.IP_TRANSPARENT, true);
        }
        return local == null ? b.connect(server) : b.connect(server, local);
    }

    private InetSocketAddress localAddress(Channel client) {
        if (source == null) {
            return null;
        }
        if (source.useClientIp()) {
            // The session's client: the one a PROXY header named, on an accept-proxy bind.
            return new InetSocketAddress(Session.of(client).client().getAddress(), 0);
        }
        if (source.address().equals("0.0.0.0") && source.port() == 0) {
            return null;
        }
        return new InetSocketAddress(source.address(), source.port());
    }
}
