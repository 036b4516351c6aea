package io.rtmprouter.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;

/**
 * The two channels of a relayed session and how they end: each half-close is passed on, and
 * the pair closes once both directions are shut; the first cause of the end is the one logged.
 * Both channels share one event loop, so no locking is needed.
 */
final class RelayPair {
    private final Channel client;
    private final Channel server;
    private final Session session;
    private final Runnable onClosed;
    private boolean clientOutputShut;
    private boolean serverOutputShut;
    private boolean closing;

    RelayPair(Channel client, Channel server, Session session, Runnable onClosed) {
        this.client = client;
        this.server = server;
        this.session = session;
        this.onClosed = onClosed;
    }

    /** This side sent its FIN: it is the one that closed the session, unless the other did first. */
    void inputClosed(Side side) {
        if (!clientOutputShut && !serverOutputShut) {
            session.end(side.closed(), null);
        }
    }

    /**
     * Passes the FIN read on `from` to the other side, once everything read before it has been
     * written there; closes the pair if that side can no longer take a half-close.
     */
    void passFin(Side from) {
        Channel to = from == Side.CLIENT ? server : client;
        to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
            if (to instanceof DuplexChannel d && to.isActive()) {
                d.shutdownOutput().addListener(x -> outputClosed(from));
            } else {
                close(from.closed(), null);
            }
        });
    }

    private void outputClosed(Side from) {
        if (from == Side.CLIENT) {
            serverOutputShut = true;
        } else {
            clientOutputShut = true;
        }
        if (clientOutputShut && serverOutputShut) {
            close(from.closed(), null);
        }
    }

    /** Ends both sides after writing what is pending. */
    void close(Termination why, String detail) {
        session.end(why, detail);
        if (closing) {
            return;
        }
        closing = true;
        flushAndClose(client);
        flushAndClose(server);
        whenBothClosed();
    }

    /** Ends both sides now, dropping what is pending: an error makes it worthless. */
    void abort(Termination why, String detail) {
        session.end(why, detail);
        client.close();
        server.close();
        if (!closing) {
            closing = true;
            whenBothClosed();
        }
    }

    private void whenBothClosed() {
        client.closeFuture().addListener(a -> server.closeFuture().addListener(b -> onClosed.run()));
    }

    private static void flushAndClose(Channel c) {
        if (c.isActive()) {
            c.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            c.close();
        }
    }
}
