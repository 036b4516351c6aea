package io.rtmprouter.proxy;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.rtmprouter.config.ConfigParser;
import io.rtmprouter.proxy.transport.Transport;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bind's socket options, read back from the kernel (getsockopt) on the router's own listening
 * sockets: what `transparent`, `defer-accept`, `tfo`, `v6only` and `v4v6` set, HAProxy's values.
 * The IPv6 binds are on `::` (listening only; the one client connects over loopback): on a
 * specific IPv6 address the kernel socket is IPv6-only whatever is asked.
 */
class BindSocketOptionsTest {
    private static final IntegerUnixChannelOption V6ONLY = new IntegerUnixChannelOption("IPV6_V6ONLY", 41, 26);

    @Test
    void theKernelHoldsWhatEachBindAskedFor() throws Exception {
        Transport epoll = Transport.epoll();
        assertTrue(epoll.isEpoll(), "these options are Linux's: the epoll transport must load here");
        int[] ports = {io.rtmprouter.testing.ScenarioRig.freePort(), io.rtmprouter.testing.ScenarioRig.freePort(),
                io.rtmprouter.testing.ScenarioRig.freePort(), io.rtmprouter.testing.ScenarioRig.freePort()};
        try (Router r = Router.start(ConfigParser.parse("t.cfg", """
                global
                 noreuseport
                frontend f
                 mode tcp
                 bind 127.0.0.1:%d transparent defer-accept tfo backlog 77
                 bind [::]:%d v6only
                 bind [::]:%d v4v6
                 bind 127.0.0.1:%d
                 default_backend b
                backend b
                 server s 127.0.0.1:1
                """.formatted(ports[0], ports[1], ports[2], ports[3])), epoll)) {
            List<Channel> l = r.listenerChannels();
            assertEquals(4, l.size());
            Channel options = l.get(0);
            assertEquals(true, options.config().getOption(EpollChannelOption.IP_TRANSPARENT));
            assertTrue(options.config().getOption(EpollChannelOption.TCP_DEFER_ACCEPT) >= 1,
                    "defer-accept: the kernel rounds HAProxy's 1 s up to its retransmission steps");
            assertEquals(77, options.config().getOption(EpollChannelOption.TCP_FASTOPEN), "tfo: the bind's backlog");
            assertEquals(1, l.get(1).config().getOption(V6ONLY));
            assertEquals(0, l.get(2).config().getOption(V6ONLY));
            // What it means, over loopback: an IPv4 client reaches the v4v6 socket, not the v6only one.
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", ports[2])) {
                assertTrue(s.isConnected());
            }
            org.junit.jupiter.api.Assertions.assertThrows(java.net.ConnectException.class,
                    () -> new java.net.Socket("127.0.0.1", ports[1]).close());
            Channel plain = l.get(3);
            assertEquals(false, plain.config().getOption(EpollChannelOption.IP_TRANSPARENT));
            assertEquals(0, plain.config().getOption(EpollChannelOption.TCP_DEFER_ACCEPT));
            assertTrue(((InetSocketAddress) plain.localAddress()).getPort() > 0);
        }
    }
}
