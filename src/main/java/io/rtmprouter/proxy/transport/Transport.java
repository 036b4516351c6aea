package io.rtmprouter.proxy.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** The socket implementation: Linux epoll (native; needed for IP_TRANSPARENT) when it loads, Java NIO otherwise. */
public record Transport(String name, IoHandlerFactory ioHandlerFactory,
                        Class<? extends ServerChannel> serverChannel,
                        Class<? extends SocketChannel> socketChannel) {

    public static Transport best() {
        if (Epoll.isAvailable()) {
            return epoll();
        }
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }

    public static Transport epoll() {
        Epoll.ensureAvailability();
        return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                EpollSocketChannel.class);
    }

    /** For DNS queries (`resolvers`). */
    public Class<? extends io.netty.channel.socket.DatagramChannel> datagramChannel() {
        return isEpoll() ? io.netty.channel.epoll.EpollDatagramChannel.class
                : io.netty.channel.socket.nio.NioDatagramChannel.class;
    }

    public boolean isEpoll() {
        return name.equals("epoll");
    }

    /** Why epoll is unavailable, for error messages. */
    public static String epollUnavailabilityCause() {
        Throwable t = Epoll.unavailabilityCause();
        return t == null ? "available" : t.toString();
    }

    public EventLoopGroup newGroup(int threads, String namePrefix) {
        return new MultiThreadIoEventLoopGroup(threads, new io.netty.util.concurrent.DefaultThreadFactory(namePrefix),
                ioHandlerFactory);
    }
}
