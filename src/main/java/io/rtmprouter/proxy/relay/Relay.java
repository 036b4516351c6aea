package io.rtmprouter.proxy.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.rtmprouter.config.SpliceOptions;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.session.Termination;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * Joins a client channel and its server channel once the server connection is up. Each direction
 * goes through the pipeline ({@link RelayHandler}), or is spliced in the kernel
 * ({@link SpliceRelayHandler}) when both are epoll sockets and `option splice-request` /
 * `splice-response` asks for it from the start, or `option splice-auto` once the direction
 * streams fast; a pipe from `maxpipes` is needed either way. The channels share an event loop,
 * since the server connection was made on the client's.
 */
public final class Relay {
    static final String IDLE = "idle";
    static final String RELAY = "relay";

    private Relay() {
    }

    /**
     * @param pending bytes read from the client before the server was connected; written first
     * @param clientInputShut the client already sent its FIN
     * The session's end is finished once both channels have closed.
     */
    public static void start(Channel client, Channel server, Session session, RelayTerms terms, Queue<ByteBuf> pending,
                      boolean clientInputShut) {
        RelayPair pair = new RelayPair(client, server, session, terms.pipes(), session.ending()::finish);
        for (ByteBuf b : pending) {
            server.write(b, server.voidPromise());
        }
        server.flush();
        if (!pending.isEmpty() && session.terminatesRtmp() && server instanceof EpollSocketChannel epollServer) {
            // nginx-rtmp answers connect with several small writes and Nagle holds all but the first
            // until that one is acknowledged; after a request-answer exchange (the handshake) Linux
            // delays that acknowledgement by up to 40 ms. Acknowledging at once, right after the
            // connect went out, saves players those 40 ms (measured in docs/performance.md).
            epollServer.config().setTcpQuickAck(true);
        }
        // TLS and RTMPT sessions have bytes of their own on the client socket: they go through the pipeline.
        boolean epoll = client instanceof EpollSocketChannel && server instanceof EpollSocketChannel
                && session.onPlainSocket();
        SpliceOptions.Mode up = epoll && !clientInputShut ? terms.splice().clientToServer() : SpliceOptions.Mode.NEVER;
        SpliceOptions.Mode down = epoll ? terms.splice().serverToClient() : SpliceOptions.Mode.NEVER;
        boolean mayBypassPipeline = up != SpliceOptions.Mode.NEVER || down != SpliceOptions.Mode.NEVER;
        SpliceIdleWatch[] watches = new SpliceIdleWatch[2];
        if (mayBypassPipeline) {
            // Spliced bytes bypass the pipeline, where an IdleStateHandler would look: ask the kernel.
            watches[0] = SpliceIdleWatch.watch((EpollSocketChannel) client, terms.clientIdle(),
                    () -> pair.close(Termination.CLIENT_TIMEOUT, null));
            watches[1] = SpliceIdleWatch.watch((EpollSocketChannel) server, terms.serverIdle(),
                    () -> pair.close(Termination.SERVER_TIMEOUT, null));
        }
        pair.onHalfClosed(side -> finTimeout(side == Side.CLIENT ? client : server, side,
                side == Side.CLIENT ? terms.clientFin() : terms.serverFin(), watches, pair));
        SpliceRelayHandler fromClient = direction(client, server, Side.CLIENT, up, pair,
                mayBypassPipeline ? null : terms.clientIdle());
        SpliceRelayHandler fromServer = direction(server, client, Side.SERVER, down, pair,
                mayBypassPipeline ? null : terms.serverIdle());
        if (fromClient != null) {
            fromClient.start((EpollSocketChannel) client);
        }
        if (fromServer != null) {
            fromServer.start((EpollSocketChannel) server);
        }
        if (clientInputShut) {
            pair.inputClosed(Side.CLIENT);
            pair.passFin(Side.CLIENT);
        } else {
            client.config().setAutoRead(true);
        }
        server.config().setAutoRead(true);
    }

    /**
     * `timeout client-fin` / `server-fin`: once the router has passed a FIN on to a side, that
     * side's inactivity timeout becomes this one (over `timeout tunnel` too, as HAProxy documents):
     * how long it may take to close in turn. The kernel is asked for a side whose bytes may bypass
     * the pipeline; an IdleStateHandler watches the others.
     */
    private static void finTimeout(Channel ch, Side side, Duration fin, SpliceIdleWatch[] watches, RelayPair pair) {
        if (fin == null || !ch.isActive()) {
            return;
        }
        int i = side == Side.CLIENT ? 0 : 1;
        pair.finTimed(side);
        ChannelPipeline p = ch.pipeline();
        if (p.get(IDLE) != null) {
            p.replace(IDLE, IDLE, new IdleStateHandler(true, 0, 0, fin.toNanos(), TimeUnit.NANOSECONDS));
        } else if (ch instanceof EpollSocketChannel epoll) {
            if (watches[i] != null) {
                watches[i].cancel();
            }
            watches[i] = SpliceIdleWatch.watch(epoll, fin, () -> pair.close(side.timedOut(), null));
        } else if (p.get(RELAY) != null) {
            p.addBefore(RELAY, IDLE, new IdleStateHandler(true, 0, 0, fin.toNanos(), TimeUnit.NANOSECONDS));
        }
    }

    /** Installs what relays `from`'s reads to `to`; returns the splice to start, if spliced from the outset. */
    private static SpliceRelayHandler direction(Channel from, Channel to, Side side, SpliceOptions.Mode mode,
                                                RelayPair pair, Duration idle) {
        if (mode == SpliceOptions.Mode.ALWAYS && pair.startSplicing(side)) {
            SpliceRelayHandler splice = new SpliceRelayHandler((EpollSocketChannel) to, side, pair, null);
            from.pipeline().addLast(RELAY, splice);
            return splice;
        }
        // splice-request/response without a pipe left starts copying, and may splice once streaming.
        StreamerDetector streamer = mode == SpliceOptions.Mode.NEVER ? null : new StreamerDetector();
        install(from.pipeline(), idle, new RelayHandler(to, side, pair, streamer));
        return null;
    }

    private static void install(ChannelPipeline p, Duration idle, RelayHandler relay) {
        if (idle != null) {
            // Read or write activity on this side resets it; output progress counts as activity.
            p.addLast(IDLE, new IdleStateHandler(true, 0, 0, idle.toNanos(), TimeUnit.NANOSECONDS));
        }
        p.addLast(RELAY, relay);
    }
}
