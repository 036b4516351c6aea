package io.rtmprouter.proxy;

import io.rtmprouter.config.ConfigParser;
import io.rtmprouter.config.RouterConfig;
import io.rtmprouter.proxy.transport.Transport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default maxconn counts the descriptors sessions hold, as HAProxy does: two sockets each, and
 * two per pipe of `maxpipes` (maxconn / 4 unless set) when something may splice.
 */
class DescriptorBudgetTest {
    private static RouterConfig config(String global, String backendOption) throws Exception {
        return ConfigParser.parse("t.cfg", """
                global
                 %s
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
                """.formatted(global, backendOption));
    }

    @Test
    void onlyAConfigurationThatMaySpliceOnEpollBudgetsPipes() throws Exception {
        Transport nio = new Transport("nio", io.netty.channel.nio.NioIoHandler.newFactory(),
                io.netty.channel.socket.nio.NioServerSocketChannel.class, io.netty.channel.socket.nio.NioSocketChannel.class);
        assertTrue(ProcessLimits.splices(config("", "option splice-auto"), Transport.epoll()));
        assertTrue(ProcessLimits.splices(config("", "option splice-response"), Transport.epoll()));
        assertFalse(ProcessLimits.splices(config("", "option tcplog"), Transport.epoll()));
        assertFalse(ProcessLimits.splices(config("nosplice", "option splice-auto"), Transport.epoll()));
        assertFalse(ProcessLimits.splices(config("", "option splice-auto"), nio), "NIO cannot splice");
    }

    @Test
    void maxconnLeavesAHundredDescriptorsAndRoomForTheDefaultPipes() {
        assertEquals(9950, ProcessLimits.maxconnFromFileLimit(20_000, false, 0), "2 per session");
        assertEquals(7960, ProcessLimits.maxconnFromFileLimit(20_000, true, 0), "2 + 2 x 1/4 per session");
        assertEquals(1990, ProcessLimits.defaultMaxpipes(7960));
        assertTrue(7960 * 2 + 1990 * 2 <= 20_000 - 100);
        assertEquals(9450, ProcessLimits.maxconnFromFileLimit(20_000, true, 500), "an explicit maxpipes is reserved as is");
        assertEquals(1, ProcessLimits.maxconnFromFileLimit(50, true, 0));
    }
}
