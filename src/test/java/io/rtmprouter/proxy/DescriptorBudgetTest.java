package io.rtmprouter.proxy;

import io.rtmprouter.config.ConfigParser;
import io.rtmprouter.config.RouterConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The default maxconn counts the descriptors a session holds: splicing adds a pipe per direction. */
class DescriptorBudgetTest {
    private static RouterConfig config(String backendOption) throws Exception {
        return ConfigParser.parse("t.cfg", """
                defaults
                 mode tcp
                 timeout connect 1s
                 timeout client 1m
                 timeout server 1m
                frontend f
                 bind 127.0.0.1:19470
                 default_backend b
                backend b
                 %s
                 server s 127.0.0.1:1
                """.formatted(backendOption));
    }

    @Test
    void aSplicingConfigurationBudgetsSixDescriptorsPerSessionOthersTwo() throws Exception {
        assertEquals(6, Router.descriptorsPerSession(config("option splice-auto"), Transport.epoll()));
        assertEquals(6, Router.descriptorsPerSession(config("option splice-response"), Transport.epoll()));
        assertEquals(2, Router.descriptorsPerSession(config("option tcplog"), Transport.epoll()));
        assertEquals(2, Router.descriptorsPerSession(config("option splice-auto"), Transport.best().isEpoll()
                ? new Transport("nio", io.netty.channel.nio.NioIoHandler.newFactory(),
                io.netty.channel.socket.nio.NioServerSocketChannel.class, io.netty.channel.socket.nio.NioSocketChannel.class)
                : Transport.best()), "NIO cannot splice");
    }
}
