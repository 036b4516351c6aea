package io.rtmprouter.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.unix.RawUnixChannelOption;
import io.rtmprouter.config.BindConfig;
import io.rtmprouter.config.BindSocketOptions;
import io.rtmprouter.config.SocketBuffers;
import io.rtmprouter.proxy.accept.AcceptGate;
import io.rtmprouter.proxy.accept.ConnectionSlots;
import io.rtmprouter.proxy.transport.HeldMemoryEstimator;
import io.rtmprouter.proxy.transport.Transport;
import io.rtmprouter.tls.ServerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** The router's listening sockets: each bind's, with the options its accepted clients get. */
final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger("router");

    private final Transport transport;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final boolean reusePort;
    private final SocketBuffers socketBuffers;
    private final ChannelGroup clients;
    private final List<Channel> listeners = new ArrayList<>();
    private final List<InetSocketAddress> binds = new ArrayList<>();

    /**
     * @param acceptors null with SO_REUSEPORT: each worker accepts its own
     * @param clients   every accepted client channel joins it, so that a shutdown reaches it
     */
    Listeners(Transport transport, EventLoopGroup acceptors, EventLoopGroup workers, boolean reusePort,
              SocketBuffers socketBuffers, ChannelGroup clients) {
        this.transport = transport;
        this.acceptors = acceptors;
        this.workers = workers;
        this.reusePort = reusePort;
        this.socketBuffers = socketBuffers;
        this.clients = clients;
    }

    /**
     * Binds one listener per event loop with SO_REUSEPORT on epoll: the kernel spreads new
     * connections over them and each is accepted on the loop that will serve it, with no hand-off
     * between threads (HAProxy binds per thread the same way; `noreuseport` turns it off). Without
     * it, one acceptor thread hands connections to the workers.
     */
    void listen(FrontendContext fc, BindConfig bind, ServerTls tls, ConnectionSlots slots,
                        ConnectionSlots global, int max) throws StartupException {
        if (bind.socket().any() && !transport.isEpoll()) {
            throw new StartupException(bind.where() + ": the bind options transparent, v4v6, v6only, defer-accept,"
                    + " tfo and interface need the epoll transport (Linux), which did not load", null);
        }
        List<Channel> bound = new ArrayList<>();
        try {
            if (reusePort) {
                InetSocketAddress at = bind.socketAddress();
                for (var executor : workers) {
                    EventLoop loop = (EventLoop) executor;
                    Channel ch = bootstrap(fc, bind, tls, slots, global, max).group(loop, loop)
                            .option(EpollChannelOption.SO_REUSEPORT, true).bind(at).sync().channel();
                    bound.add(ch);
                    // Port 0: the other loops join the port the kernel chose for the first.
                    at = (InetSocketAddress) ch.localAddress();
                }
            } else {
                bound.add(bootstrap(fc, bind, tls, slots, global, max).group(acceptors, workers)
                        .bind(bind.socketAddress()).sync().channel());
            }
        } catch (Exception e) {
            bound.forEach(c -> c.close().syncUninterruptibly());
            throw new StartupException(bind.where() + ": frontend '" + fc.frontend().name() + "' cannot bind to "
                    + bind + ": " + e.getMessage(), e);
        }
        listeners.addAll(bound);
        binds.add((InetSocketAddress) bound.get(0).localAddress());
        LOG.info("event=listening frontend={} bind={} name={} ssl={}", fc.frontend().name(), bind,
                bind.name() == null ? "-" : bind.name(), tls != null);
    }

    private ServerBootstrap bootstrap(FrontendContext fc, BindConfig bind, ServerTls tls, ConnectionSlots slots,
                                      ConnectionSlots global, int max) {
        ServerBootstrap b = new ServerBootstrap()
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, bind.backlog() > 0 ? bind.backlog() : Math.min(max, 65535))
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new AcceptGate(slots, global))
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR, HeldMemoryEstimator.INSTANCE)
                .childOption(ChannelOption.SO_KEEPALIVE, fc.frontend().connections().keepAlive())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        clients.add(ch);
                        SessionPipeline.init(ch, fc, tls, bind.acceptProxy());
                    }
                });
        if (fc.frontend().connections().noLinger()) {
            // HAProxy's nolinger: a close drops what is unsent and resets, freeing the socket at once.
            b.childOption(ChannelOption.SO_LINGER, 0);
        }
        if (socketBuffers.clientSend() > 0) {
            b.childOption(ChannelOption.SO_SNDBUF, socketBuffers.clientSend());
        }
        if (socketBuffers.clientReceive() > 0) {
            // On the listener, so that an accepted socket has it from its SYN on (its window scale depends on it).
            b.option(ChannelOption.SO_RCVBUF, socketBuffers.clientReceive());
        }
        BindSocketOptions o = bind.socket();
        if (o.transparent()) {
            b.option(EpollChannelOption.IP_TRANSPARENT, true);
        }
        if (o.deferAccept()) {
            // HAProxy's delay: the connection is accepted once data came, or after 1 s of waiting.
            b.option(EpollChannelOption.TCP_DEFER_ACCEPT, 1);
        }
        if (o.fastOpen()) {
            // HAProxy gives TFO the bind's backlog as its queue length.
            b.option(EpollChannelOption.TCP_FASTOPEN, bind.backlog() > 0 ? bind.backlog() : Math.min(max, 65535));
        }
        if (o.v6only() != null && bind.host() != null && bind.host().contains(":")) {
            b.option(IPV6_V6ONLY, o.v6only() ? 1 : 0);
        }
        if (o.device() != null) {
            byte[] name = (o.device() + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            b.option(new RawUnixChannelOption("SO_BINDTODEVICE", SOL_SOCKET, SO_BINDTODEVICE, name.length),
                    java.nio.ByteBuffer.wrap(name));
        }
        return b;
    }

    /** Linux's numbers for the options Netty names no constant for. */
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_V6ONLY_NUMBER = 26;
    private static final int SOL_SOCKET = 1;
    private static final int SO_BINDTODEVICE = 25;
    private static final IntegerUnixChannelOption IPV6_V6ONLY = new IntegerUnixChannelOption("IPV6_V6ONLY",
            IPPROTO_IPV6, IPV6_V6ONLY_NUMBER);

    /** The listening channels, for tests that read their sockets' options back. */
    List<Channel> channels() {
        return List.copyOf(listeners);
    }

    /** Addresses actually bound, one per bind in configuration order. */
    List<InetSocketAddress> boundAddresses() {
        return List.copyOf(binds);
    }

    /** Stops accepting. */
    void close() {
        for (Channel l : listeners) {
            l.close().syncUninterruptibly();
        }
    }
}
