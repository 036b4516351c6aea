package io.rtmprouter.proxy.route;

import io.rtmprouter.proxy.relay.Relay;
import io.rtmprouter.proxy.session.InspectionEvent;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.session.Termination;
import io.rtmprouter.proxy.transport.EpollRegistrationGuard;
import io.rtmprouter.proxy.transport.SocketErrors;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.balance.Server;
import io.rtmprouter.config.RoutingConfig;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The routing stage of a client connection: apply `tcp-request content` and `use_backend`
 * rules (at accept in mode tcp, once the connect is read in mode rtmp), obtain a server slot
 * (stick table, balancing, or a queue bounded by `timeout queue`), connect to it with `retries`
 * and `option redispatch` (in mode rtmp the server's handshake is part of connecting), then hand
 * both channels to the relay and leave the pipeline. Bytes the client sent meanwhile are kept,
 * up to {@link #MAX_PENDING_BYTES} before reading pauses, and written to the server first.
 */
public final class ServerSelectionHandler extends ChannelInboundHandlerAdapter {
    /** Like HAProxy's tune.bufsize: what we hold for a client before we stop reading it. */
    static final int MAX_PENDING_BYTES = 16 * 1024;
    private static final Duration TURN_AROUND = Duration.ofSeconds(1);
    static final String HANDSHAKE = "server-handshake";
    public static final String NAME = "select-server";

    private final Routing fc;
    private BackendRoute route;
    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    private int pendingBytes;
    private boolean clientInputShut;
    private ChannelHandlerContext ctx;
    private Session session;
    private Server server;
    private BackendPool.Ticket ticket;
    private ScheduledFuture<?> queueTimer;
    private Channel serverChannel;
    private int attempts;
    private boolean handedOver;

    public ServerSelectionHandler(Routing fc) {
        this.fc = fc;
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

    private void route() {
        RoutingConfig rules = fc.frontend().routing();
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
        route = fc.routes().get(backend);
        requestServer(null);
    }

    private InetSocketAddress clientAddress() {
        return session.client();
    }

    private void requestServer(Server exclude) {
        BackendPool.Assignment a = route.pool().assign(clientAddress().getAddress(),
                granted -> ctx.executor().execute(() -> onGranted(granted)), exclude);
        if (a instanceof BackendPool.Assigned assigned) {
            connect(assigned.server());
        } else if (a instanceof BackendPool.Queued queued) {
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

    private void onGranted(Server granted) {
        ticket = null;
        if (queueTimer != null) {
            queueTimer.cancel(false);
        }
        session.leftQueue();
        if (session.ended()) {
            route.pool().release(granted);
            return;
        }
        connect(granted);
    }

    private void onQueueTimeout() {
        if (ticket != null && route.pool().cancel(ticket)) {
            ticket = null;
            session.leftQueue();
            fail(Termination.QUEUE_TIMEOUT, null);
        }
        // Otherwise a slot was granted concurrently and onGranted is on its way.
    }

    private void connect(Server s) {
        server = s;
        attempts++;
        InetSocketAddress target = fc.serverAddresses().get(s);
        if (target.getPort() == 0) {
            target = new InetSocketAddress(target.getAddress(), session.frontendAddress().getPort());
        }
        ChannelFuture f = route.connector().connect(ctx.channel(), target, session.connecting(s.name()));
        serverChannel = f.channel();
        f.addListener(done -> {
            if (done.isSuccess()) {
                onConnected(f.channel());
            } else {
                onConnectFailed(done.cause());
            }
        });
    }

    private void onConnected(Channel ch) {
        if (session.ended()) {
            ch.close();
            releaseServer();
            return;
        }
        if (!session.terminatesRtmp()) {
            ready(ch, null);
            return;
        }
        Promise<ByteBuf> handshake = ch.eventLoop().newPromise();
        ch.pipeline().addFirst(HANDSHAKE, new HandshakeInitiator(handshake, route.serverHandshakeTimeout()));
        handshake.addListener(done -> {
            if (done.isSuccess()) {
                ready(ch, handshake.getNow());
            } else {
                ch.close();
                onConnectFailed(done.cause());
            }
        });
    }

    /** The server is connected (and has answered the handshake in mode rtmp): relay from now on. */
    private void ready(Channel ch, ByteBuf fromServer) {
        session.connected();
        if (session.ended()) {
            ReferenceCountUtil.release(fromServer);
            ch.close();
            releaseServer();
            return;
        }
        route.pool().stickStore(clientAddress().getAddress(), server);
        EpollRegistrationGuard.keepRegistered(ch);
        handedOver = true;
        // The slot is the session's until it is over, whoever sees that last.
        BackendPool pool = route.pool();
        Server held = server;
        server = null;
        session.ending().holds(() -> pool.release(held));
        if (session.inspecting()) {
            fc.routedLog().accept(session);
        }
        if (fromServer != null && fromServer.isReadable()) {
            ctx.channel().writeAndFlush(fromServer, ctx.channel().voidPromise());
        } else {
            ReferenceCountUtil.release(fromServer);
        }
        Relay.start(ctx.channel(), ch, session, route.relay(), drainPending(), clientInputShut);
        ctx.pipeline().remove(this);
    }

    private void onConnectFailed(Throwable cause) {
        serverChannel = null;
        session.attemptFailed();
        if (session.ended()) {
            releaseServer();
            return;
        }
        int retries = route.pool().config().retries();
        if (attempts > retries) {
            String detail = server.name() + ": " + cause.getMessage();
            releaseServer();
            fail(cause instanceof ConnectTimeoutException ? Termination.CONNECT_TIMEOUT : Termination.CONNECT_ERROR,
                    detail);
            return;
        }
        boolean redispatch = route.pool().config().redispatch() && attempts == retries;
        session.retrying(redispatch);
        if (redispatch) {
            // HAProxy's default: the last retry goes to another server.
            releaseServer();
            requestServer(server);
            return;
        }
        // HAProxy's turn-around timer: give a restarting server a moment before retrying it.
        long delay = Math.min(TURN_AROUND.toNanos(), route.pool().config().timeouts().connectTimeout()
                .map(Duration::toNanos).orElse(Long.MAX_VALUE));
        Server again = server;
        ctx.executor().schedule(() -> {
            if (!session.ended()) {
                connect(again);
            } else {
                releaseServer();
            }
        }, delay, TimeUnit.NANOSECONDS);
    }

    private void releaseServer() {
        if (server != null) {
            route.pool().release(server);
            server = null;
        }
    }

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

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handedOver) {
            return;
        }
        session.end(Termination.CLIENT_ABORT, null);
        if (ticket != null && route.pool().cancel(ticket)) {
            ticket = null;
            session.leftQueue();
        }
        if (queueTimer != null) {
            queueTimer.cancel(false);
        }
        if (serverChannel != null) {
            serverChannel.close();
        }
        if (ticket == null && serverChannel == null) {
            releaseServer();
        }
        // A slot granted or a connect in flight releases itself when it sees the session ended.
        session.ending().finish();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset before a server is chosen is a client leaving, as it is during the relay.
        session.end(SocketErrors.isReset(cause) ? Termination.CLIENT_RESET : Termination.CLIENT_ERROR,
                SocketErrors.isReset(cause) ? null : cause.getMessage());
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

    private void fail(Termination why, String detail) {
        session.end(why, detail);
        ctx.close();
    }
}
