package io.rtmprouter.proxy.route;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.Promise;
import io.rtmprouter.proxy.transport.ByteCountingAllocator;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One attempt to get a server ready for a session: the TCP connection and, when the router
 * terminates RTMP, its own handshake with the server. Either way the outcome is one call, on the
 * client's event loop (the server connection is made on it): ready, or failed like a refused
 * connection, which the routing stage retries or redispatches.
 */
final class ConnectAttempt {
    static final String HANDSHAKE = "server-handshake";

    /** How the attempt ended. */
    interface Outcome {
        /** The server is ready; `fromServer` is what it sent after its handshake (owned; may be null). */
        void ready(Channel server, ByteBuf fromServer);

        /** The connection, or the handshake on it, failed; the server channel is closed. */
        void failed(Throwable cause);

        /** The handshake began on a connected server (mode rtmp only). */
        default void handshaking() {
        }
    }

    private final Channel server;

    private ConnectAttempt(Channel server) {
        this.server = server;
    }

    /**
     * @param handshakeTimeout how long the server may take to answer our handshake; null when the
     *                         router does not terminate RTMP (the client's own handshake goes through)
     * @param greeting         what the connection starts with before anything else (a `send-proxy`
     *                         PROXY header); null for nothing
     */
    static ConnectAttempt start(ServerConnector connector, Channel client, InetSocketAddress target,
                                ByteCountingAllocator counter, Duration handshakeTimeout, Consumer<Channel> greeting,
                                Outcome outcome) {
        ChannelFuture f = connector.connect(client, target, counter);
        Channel ch = f.channel();
        f.addListener(done -> {
            if (done.isSuccess() && greeting != null) {
                greeting.accept(ch);
            }
            if (!done.isSuccess()) {
                outcome.failed(done.cause());
            } else if (handshakeTimeout == null) {
                outcome.ready(ch, null);
            } else {
                outcome.handshaking();
                Promise<ByteBuf> handshake = ch.eventLoop().newPromise();
                ch.pipeline().addFirst(HANDSHAKE, new HandshakeInitiator(handshake, handshakeTimeout));
                handshake.addListener(h -> {
                    if (h.isSuccess()) {
                        outcome.ready(ch, handshake.getNow());
                    } else {
                        ch.close();
                        outcome.failed(h.cause());
                    }
                });
            }
        });
        return new ConnectAttempt(ch);
    }

    /** The session ended while the attempt was on its way: its server connection goes too. */
    void abandon() {
        server.close();
    }
}
