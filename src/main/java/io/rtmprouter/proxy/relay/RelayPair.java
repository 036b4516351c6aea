package io.rtmprouter.proxy.relay;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.session.Termination;

import java.util.function.Consumer;

/**
 * The two channels of a relayed session and how they end: each half-close is passed on, and
 * the pair closes once both directions are shut; the first cause of the end is the one logged.
 * Both channels share one event loop, so no locking is needed.
 */
final class RelayPair {
    private final Channel client;
    private final Channel server;
    private final Session session;
    private final PipeBudget pipes;
    private final Runnable onClosed;
    private boolean clientPipe;
    private boolean serverPipe;
    private boolean clientSplices;
    private boolean serverSplices;
    private boolean clientOutputShut;
    private boolean serverOutputShut;
    private boolean closing;
    /**
     * Told once per side when the router has shut its output towards that side (passed the other's
     * FIN on): `timeout client-fin` / `server-fin` then bound how long that side takes to close too,
     * as HAProxy sets its read timeout at shutw.
     */
    private Consumer<Side> onHalfClosed = side -> { };
    /** Sides whose inactivity is bounded by their `-fin` timeout now. */
    private boolean clientFinTimed;
    private boolean serverFinTimed;

    RelayPair(Channel client, Channel server, Session session, PipeBudget pipes, Runnable onClosed) {
        this.client = client;
        this.server = server;
        this.session = session;
        this.pipes = pipes;
        this.onClosed = onClosed;
    }

    /**
     * What `from` reads is about to be spliced: false when it needs a pipe and `maxpipes` leaves
     * none. Netty keeps a direction's pipe on the receiving channel until that closes, so a pipe
     * is taken once per direction and given back when the pair has closed.
     */
    boolean startSplicing(Side from) {
        boolean held = from == Side.CLIENT ? clientPipe : serverPipe;
        if (!held && !pipes.tryTake()) {
            return false;
        }
        if (from == Side.CLIENT) {
            clientPipe = true;
            clientSplices = true;
        } else {
            serverPipe = true;
            serverSplices = true;
        }
        session.splicing();
        return true;
    }

    /** What `from` reads is copied again (`splice-auto`, once it no longer streams fast). */
    void stopSplicing(Side from) {
        if (from == Side.CLIENT) {
            clientSplices = false;
        } else {
            serverSplices = false;
        }
    }

    /** Whether what `from` reads is spliced: Netty then paces that channel's reads itself. */
    boolean splices(Side from) {
        return from == Side.CLIENT ? clientSplices : serverSplices;
    }

    /**
     * The channel of `side` can take more after being full: the other side, stopped by the relay's
     * backpressure, may read again. A spliced side is left alone: Netty turns its reading back on
     * once its splice is written, and reading earlier would spin on a full pipe.
     */
    void writable(Side side) {
        Side other = side == Side.CLIENT ? Side.SERVER : Side.CLIENT;
        Channel reader = other == Side.CLIENT ? client : server;
        if (!splices(other) && reader.isActive()) {
            reader.config().setAutoRead(true);
        }
    }

    /** This side sent its FIN: it is the one that closed the session, unless the other did first. */
    void inputClosed(Side side) {
        if (!clientOutputShut && !serverOutputShut) {
            session.end(side.closed(), null);
        }
    }

    void onHalfClosed(Consumer<Side> action) {
        onHalfClosed = action;
    }

    /**
     * Passes the FIN read on `from` to the other side, once everything read before it has been
     * written there; closes the pair if that side can no longer take a half-close.
     */
    void passFin(Side from) {
        Channel to = from == Side.CLIENT ? server : client;
        to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
            SslHandler tls = to.pipeline().get(SslHandler.class);
            if (tls != null && to.isActive()) {
                // Under TLS the FIN is a close_notify first: a bare TCP FIN reads as a truncation.
                tls.closeOutbound().addListener(x -> shutdownOutput(to, from));
            } else {
                shutdownOutput(to, from);
            }
        });
    }

    private void shutdownOutput(Channel to, Side from) {
        // `option nolinger`: HAProxy does not half-close such a connection, it closes it (with the
        // reset that SO_LINGER 0 makes), and so ends the session; measured with HAProxy 2.6.
        if (to instanceof DuplexChannel d && to.isActive() && !noLinger(to)) {
            d.shutdownOutput().addListener(x -> outputClosed(from));
        } else {
            close(from.closed(), null);
        }
    }

    private static boolean noLinger(Channel ch) {
        Integer linger = ch.config().getOption(ChannelOption.SO_LINGER);
        return linger != null && linger == 0;
    }

    private void outputClosed(Side from) {
        Side to = from == Side.CLIENT ? Side.SERVER : Side.CLIENT;
        boolean first = to == Side.CLIENT ? !clientOutputShut : !serverOutputShut;
        if (to == Side.CLIENT) {
            clientOutputShut = true;
        } else {
            serverOutputShut = true;
        }
        if (first && !closing) {
            onHalfClosed.accept(to);
        }
        if (clientOutputShut && serverOutputShut) {
            close(from.closed(), null);
        }
    }

    /** That side's inactivity is now its `timeout client-fin|server-fin`. */
    void finTimed(Side side) {
        if (side == Side.CLIENT) {
            clientFinTimed = true;
        } else {
            serverFinTimed = true;
        }
    }

    /** Ends both sides after writing what is pending. */
    void close(Termination why, String detail) {
        if (why == Side.CLIENT.timedOut() && clientFinTimed || why == Side.SERVER.timedOut() && serverFinTimed) {
            session.endedByFinTimeout(why);
        }
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
        client.closeFuture().addListener(a -> server.closeFuture().addListener(b -> {
            pipes.giveBack((clientPipe ? 1 : 0) + (serverPipe ? 1 : 0));
            onClosed.run();
        }));
    }

    private static void flushAndClose(Channel c) {
        if (c.isActive()) {
            c.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            c.close();
        }
    }
}
