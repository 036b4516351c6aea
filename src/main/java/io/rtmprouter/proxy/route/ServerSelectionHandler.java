package io.rtmprouter.proxy.route;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.balance.Server;
import io.rtmprouter.config.ProxyHeader;
import io.rtmprouter.config.RoutingConfig;
import io.rtmprouter.proxy.relay.Relay;
import io.rtmprouter.proxy.session.InspectionEvent;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.session.Termination;
import io.rtmprouter.proxy.transport.EpollRegistrationGuard;
import io.rtmprouter.proxyheader.ProxyHeaderWriter;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The routing stage of a client connection, in HAProxy's stream states ({@link Phase}): apply
 * `tcp-request content` and `use_backend` rules (at accept in mode tcp, once the connect is read
 * in mode rtmp), obtain a server slot (stick table, balancing, or a queue bounded by `timeout
 * queue`), get the server ready ({@link ConnectAttempt}: the connection and, in mode rtmp, the
 * router's handshake with it) with `retries`, the turn-around and `option redispatch`, then hand
 * both channels to the relay and leave the pipeline. Bytes the client sent meanwhile are kept, up
 * to {@link #MAX_PENDING_BYTES} before reading pauses, and written to the server first.
 */
public final class ServerSelectionHandler extends ChannelInboundHandlerAdapter {
    public static final String NAME = "select-server";
    /** Like HAProxy's tune.bufsize: what we hold for a client before we stop reading it. */
    static final int MAX_PENDING_BYTES = 16 * 1024;

    /** Where the session stands; each phase holds what it needs, and only its own callbacks act. */
    enum Phase {
        /** Waiting for inspection to end (mode rtmp), or applying the rules. */
        ROUTING,
        /** Every server at its maxconn: waiting for a slot. */
        QUEUED,
        /** A connect failed: waiting before trying the same server again. */
        TURN_AROUND,
        /** Connecting to the server. */
        CONNECTING,
        /** Connected; the router's RTMP handshake with the server is under way. */
        SERVER_HANDSHAKE,
        /** Handed to the relay: this stage has left. */
        RELAYED,
        /** The session ended before a relay; whatever arrives late gives back what it brings. */
        ENDED
    }

    private final Routing routing;
    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    private int pendingBytes;
    private boolean clientInputShut;
    private ChannelHandlerContext ctx;
    private Session session;
    private Phase phase = Phase.ROUTING;
    private BackendRoute route;
    /** The server whose slot the session holds (CONNECTING, SERVER_HANDSHAKE, TURN_AROUND). */
    private Server server;
    private int attempts;
    /** QUEUED: the place in the queue and its timeout. */
    private BackendPool.Ticket ticket;
    private ScheduledFuture<?> queueTimer;
    /** TURN_AROUND: the retry's timer. */
    private ScheduledFuture<?> retryTimer;
    /** CONNECTING and SERVER_HANDSHAKE. */
    private ConnectAttempt attempt;

    public ServerSelectionHandler(Routing routing) {
        this.routing = routing;
    }

    Phase phase() {
        return phase;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        session = Session.of(ctx.channel());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!session.inspecting()) {
            ctx.read();
            route();
        }
    }

    // ---- ROUTING ------------------------------------------------------------------------------

    private void route() {
        RoutingConfig rules = routing.frontend().routing();
        var reject = RoutingConfig.rejecting(rules.contentRules(), session);
        if (reject.isPresent()) {
            fail(Termination.REJECTED, "tcp-request content reject at " + reject.get().where());
            return;
        }
        String backend = rules.backendFor(session);
        if (backend == null) {
            fail(Termination.NO_BACKEND, null);
            return;
        }
        session.routed(backend);
        route = routing.routes().get(backend);
        route.pool().traffic().sessionStarted();
        if (!backend.equals(routing.frontend().name())) {
            // HAProxy runs a backend's own rules once a session of another proxy is sent to it.
            var refused = RoutingConfig.rejecting(route.pool().config().contentRules(), session);
            if (refused.isPresent()) {
                fail(Termination.REJECTED, "tcp-request content reject at " + refused.get().where());
                return;
            }
        }
        requestServer(null);
    }

    private void requestServer(Server exclude) {
        BackendPool.Assignment a = route.pool().assign(session.client().getAddress(),
                granted -> ctx.executor().execute(() -> onGranted(granted)), exclude);
        if (a instanceof BackendPool.Assigned assigned) {
            connect(assigned.server());
        } else if (a instanceof BackendPool.Queued queued) {
            phase = Phase.QUEUED;
            ticket = queued.ticket();
            session.queued();
            if (route.queueTimeout() != null) {
                queueTimer = ctx.executor().schedule(this::onQueueTimeout, route.queueTimeout().toNanos(),
                        TimeUnit.NANOSECONDS);
            }
        } else {
            fail(Termination.NO_SERVER, ((BackendPool.Rejected) a).reason());
        }
    }

    // ---- QUEUED -------------------------------------------------------------------------------

    private void onGranted(Server granted) {
        if (phase != Phase.QUEUED) {
            // The session ended (or left the queue) while the grant was on its way.
            route.pool().release(granted);
            return;
        }
        leaveQueue();
        connect(granted);
    }

    private void onQueueTimeout() {
        if (phase == Phase.QUEUED && route.pool().cancel(ticket)) {
            leaveQueue();
            fail(Termination.QUEUE_TIMEOUT, null);
        }
        // Otherwise a slot was granted concurrently and onGranted is on its way.
    }

    private void leaveQueue() {
        ticket = null;
        if (queueTimer != null) {
            queueTimer.cancel(false);
            queueTimer = null;
        }
        session.leftQueue();
    }

    // ---- CONNECTING, SERVER_HANDSHAKE ---------------------------------------------------------

    private void connect(Server s) {
        phase = Phase.CONNECTING;
        server = s;
        attempts++;
        // Its address now: its DNS resolution may have moved it since the last session.
        InetSocketAddress target = s.address();
        if (target == null) {
            // It lost its address between being picked and now: as a connection that failed.
            onAttemptFailed(new java.net.NoRouteToHostException("server has no address"));
            return;
        }
        if (target.getPort() == 0) {
            target = new InetSocketAddress(target.getAddress(), session.frontendAddress().getPort());
        }
        attempt = ConnectAttempt.start(route.connector(), ctx.channel(), target, session.connecting(s.name()),
                session.terminatesRtmp() ? route.serverHandshakeTimeout() : null, greeting(s), new ConnectAttempt.Outcome() {
                    @Override
                    public void handshaking() {
                        if (phase == Phase.CONNECTING) {
                            phase = Phase.SERVER_HANDSHAKE;
                        }
                    }

                    @Override
                    public void ready(Channel ch, ByteBuf fromServer) {
                        onReady(ch, fromServer);
                    }

                    @Override
                    public void failed(Throwable cause) {
                        onAttemptFailed(cause);
                    }
                });
    }

    /** A `send-proxy` server hears first who the client is and which address it reached. */
    private Consumer<Channel> greeting(Server s) {
        ProxyHeader version = s.config().sendProxy();
        if (version == null) {
            return null;
        }
        InetSocketAddress client = session.client();
        InetSocketAddress reached = session.frontendAddress();
        return ch -> ProxyHeaderWriter.write(ch, version, client, reached);
    }

    private void onAttemptFailed(Throwable cause) {
        attempt = null;
        session.attemptFailed();
        if (server != null) {
            server.trafficFailed();
        }
        if (phase == Phase.ENDED) {
            releaseServer();
            return;
        }
        if (attempts > route.retries()) {
            String detail = server.name() + ": " + cause.getMessage();
            releaseServer();
            fail(cause instanceof ConnectTimeoutException ? Termination.CONNECT_TIMEOUT : Termination.CONNECT_ERROR,
                    detail);
            return;
        }
        boolean redispatch = route.redispatch() && attempts == route.retries();
        session.retrying(redispatch);
        if (redispatch) {
            // HAProxy's default: the last retry goes to another server.
            Server previous = server;
            releaseServer();
            phase = Phase.ROUTING;
            requestServer(previous);
            return;
        }
        phase = Phase.TURN_AROUND;
        Server again = server;
        retryTimer = ctx.executor().schedule(() -> {
            retryTimer = null;
            if (phase == Phase.TURN_AROUND) {
                connect(again);
            }
        }, route.turnAround().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The server is connected (and has answered the handshake in mode rtmp): relay from now on. */
    private void onReady(Channel ch, ByteBuf fromServer) {
        attempt = null;
        session.connected();
        if (server != null) {
            server.trafficConnected();
        }
        if (phase == Phase.ENDED) {
            ReferenceCountUtil.release(fromServer);
            ch.close();
            releaseServer();
            return;
        }
        phase = Phase.RELAYED;
        route.pool().stickStore(session.client().getAddress(), server);
        EpollRegistrationGuard.keepRegistered(ch);
        // The slot is the session's until it is over, whoever sees that last.
        BackendPool pool = route.pool();
        Server held = server;
        server = null;
        session.ending().holds(() -> pool.release(held));
        if (session.inspecting()) {
            routing.routedLog().accept(session);
        }
        if (fromServer != null && fromServer.isReadable()) {
            ctx.channel().writeAndFlush(fromServer, ctx.channel().voidPromise());
        } else {
            ReferenceCountUtil.release(fromServer);
        }
        Relay.start(ctx.channel(), ch, session, route.relay(), drainPending(), clientInputShut);
        ctx.pipeline().remove(this);
    }

    private void releaseServer() {
        if (server != null) {
            route.pool().release(server);
            server = null;
        }
    }

    // ---- the client's side, in every phase ----------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        pending.add(buf);
        pendingBytes += buf.readableBytes();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (pendingBytes < MAX_PENDING_BYTES && !clientInputShut) {
            ctx.read();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == InspectionEvent.DONE) {
            route();
        } else if (evt instanceof ChannelInputShutdownEvent) {
            // Passed on to the server once connected; HAProxy, without abortonclose, keeps waiting too.
            clientInputShut = true;
        } else if (!(evt instanceof ChannelInputShutdownReadComplete)) {
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** The client left before a relay: whatever this phase holds is given back, and the session ends here. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (phase == Phase.RELAYED) {
            return;
        }
        session.end(Termination.CLIENT_ABORT, null);
        switch (phase) {
            case QUEUED -> {
                // When the cancel comes too late a slot was granted concurrently: onGranted gives it back.
                route.pool().cancel(ticket);
                leaveQueue();
            }
            case TURN_AROUND -> {
                retryTimer.cancel(false);
                releaseServer();
            }
            // The attempt's outcome, closed or not, gives the slot back when it sees the end.
            case CONNECTING, SERVER_HANDSHAKE -> attempt.abandon();
            default -> {
            }
        }
        phase = Phase.ENDED;
        session.ending().finish();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset before a server is chosen is a client leaving, as it is during the relay.
        session.endOnClientError(cause);
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        drainPending().forEach(ReferenceCountUtil::release);
    }

    private ArrayDeque<ByteBuf> drainPending() {
        ArrayDeque<ByteBuf> out = new ArrayDeque<>(pending);
        pending.clear();
        pendingBytes = 0;
        return out;
    }

    /** Ends the session from a phase that holds nothing any more (or never did). */
    private void fail(Termination why, String detail) {
        phase = Phase.ENDED;
        session.end(why, detail);
        ctx.close();
    }
}
