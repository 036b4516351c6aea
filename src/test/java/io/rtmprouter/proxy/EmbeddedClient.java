package io.rtmprouter.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rtmprouter.proxy.session.Session;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * An accepted client connection with real socket addresses, whose pipeline is built by
 * {@link SessionPipeline} exactly as the router builds it, on an EmbeddedChannel.
 */
final class EmbeddedClient extends EmbeddedChannel {
    private final InetSocketAddress remote;

    EmbeddedClient(String ip, FrontendContext fc) {
        this(ip, fc, false);
    }

    /** @param acceptProxy whether its bind has `accept-proxy` */
    EmbeddedClient(String ip, FrontendContext fc, boolean acceptProxy) {
        super(false, false);
        this.remote = new InetSocketAddress(ip, 40000);
        pipeline().addLast(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                // Frozen before the stages arm their timers (the loop is known from here on): a deadline
                // taken from the running clock would fall short by however long registering took, and
                // tests count to the millisecond.
                freezeTime();
                SessionPipeline.init(ch, fc, null, acceptProxy);
            }
        });
        try {
            register();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    Session session() {
        return Session.of(this);
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    @Override
    protected SocketAddress localAddress0() {
        return new InetSocketAddress("127.0.0.1", 1935);
    }
}
