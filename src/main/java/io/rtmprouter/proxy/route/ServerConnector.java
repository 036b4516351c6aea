package io.rtmprouter.proxy.route;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.rtmprouter.proxy.transport.ByteCountingAllocator;

import java.net.InetSocketAddress;

/** Opens the server side of a session; tests substitute channels whose connection they complete. */
public interface ServerConnector {
    /**
     * @param client  the client channel, whose event loop the server channel must share
     * @param counter counts what the server sends (the session's bytes_out)
     * @return the connection attempt; its channel is the server channel, not yet reading
     */
    ChannelFuture connect(Channel client, InetSocketAddress server, ByteCountingAllocator counter);
}
