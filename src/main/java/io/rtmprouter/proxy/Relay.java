package io.rtmprouter.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateHandler;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/** Joins a client channel and its server channel once the server connection is up. */
final class Relay {
    static final String IDLE = "idle";
    static final String RELAY = "relay";

    private Relay() {
    }

    /**
     * @param pending bytes read from the client before the server was connected; written first
     * @param clientInputShut the client already sent its FIN
     * @param onClosed run once, when both channels have closed
     */
    static void start(Channel client, Channel server, Session session, FrontendContext fc, Queue<ByteBuf> pending,
                      boolean clientInputShut, Runnable onClosed) {
        RelayPair pair = new RelayPair(client, server, session, onClosed);
        install(client.pipeline(), fc.clientIdle(),
                new RelayHandler(server, RelayHandler.Side.CLIENT, session.bytesIn, pair));
        install(server.pipeline(), fc.serverIdle(),
                new RelayHandler(client, RelayHandler.Side.SERVER, session.bytesOut, pair));
        for (ByteBuf b : pending) {
            server.write(b, server.voidPromise());
        }
        server.flush();
        if (clientInputShut) {
            pair.inputClosed(RelayHandler.Side.CLIENT);
            ((DuplexChannel) server).shutdownOutput().addListener(f -> pair.outputClosed(RelayHandler.Side.CLIENT));
        } else {
            client.config().setAutoRead(true);
        }
        server.config().setAutoRead(true);
    }

    private static void install(ChannelPipeline p, Duration idle, RelayHandler relay) {
        if (idle != null) {
            // Read or write activity on this side resets it; output progress counts as activity.
            p.addLast(IDLE, new IdleStateHandler(true, 0, 0, idle.toNanos(), TimeUnit.NANOSECONDS));
        }
        p.addLast(RELAY, relay);
    }
}
