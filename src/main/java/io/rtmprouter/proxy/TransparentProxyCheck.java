package io.rtmprouter.proxy;

import io.netty.channel.ChannelException;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.rtmprouter.config.BackendConfig;
import io.rtmprouter.proxy.transport.Transport;

/**
 * `source ... usesrc clientip` needs Linux's IP_TRANSPARENT, which needs the epoll transport and
 * CAP_NET_ADMIN or CAP_NET_RAW. Probed once at start-up, so that the router refuses to start rather than
 * failing every connection later.
 */
final class TransparentProxyCheck {
    private TransparentProxyCheck() {
    }

    static void verify(BackendConfig backend, Transport transport) throws StartupException {
        String where = backend.source().where() + ": backend '" + backend.name() + "': 'source ... usesrc clientip'";
        if (!transport.isEpoll()) {
            throw new StartupException(where + " needs Linux and the native epoll transport, but this process uses "
                    + transport.name() + " (epoll: " + Transport.epollUnavailabilityCause() + ")");
        }
        EpollSocketChannel probe = new EpollSocketChannel();
        try {
            probe.config().setOption(EpollChannelOption.IP_TRANSPARENT, true);
        } catch (ChannelException e) {
            throw new StartupException(where + " needs the CAP_NET_ADMIN (or CAP_NET_RAW) capability to set"
                    + " IP_TRANSPARENT: run as root, or grant it with `setcap cap_net_admin+ep` on the java binary ("
                    + e.getMessage() + ")", e);
        } finally {
            probe.unsafe().closeForcibly();
        }
    }
}
