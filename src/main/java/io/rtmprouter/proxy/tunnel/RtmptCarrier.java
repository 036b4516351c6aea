package io.rtmprouter.proxy.tunnel;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.rtmprouter.proxy.session.InspectionEvent;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.session.Termination;
import io.rtmprouter.rtmpt.RtmptRequest;
import io.rtmprouter.rtmpt.RtmptResponses;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A TCP connection that carries RTMPT requests (HTTP/1.1 POSTs). It answers them one at a time,
 * in the order they came (pipelined requests wait their turn), and hands each to the session
 * its path names: that session may have been opened over another connection. The connection
 * itself is not a session: it is logged only if it never carried a valid RTMPT request.
 */
public final class RtmptCarrier extends ChannelInboundHandlerAdapter {
    /** HAProxy's `tune.http.maxhdr` default: a request with more header fields is a 400. */
    static final int MAX_HEADER_FIELDS = 101;
    private final RtmptTunnels tunnels;
    private final TunnelStages stages;
    /** Requests not answered yet: FullHttpRequest, or RtmptBodyAggregator.Oversized. */
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Session session;
    /** `timeout http-request` / `http-keep-alive`; null in tests that drive the carrier alone. */
    private HttpRequestTimer timer;
    private boolean busy;
    private boolean carried;
    /** The last answer filled the socket's write buffer: the next request waits for room. */
    private boolean waitingForRoom;
    /** The client sent its FIN: what it sent before is still answered, then the connection closes. */
    private boolean inputShut;
    /** The router closed this connection itself (a timer, an answer that ends it, the client's FIN answered). */
    private boolean closedHere;
    /** Every session a request of this connection went to (at most the address's share). */
    private final Set<RtmptTunnel> carriedSessions = new HashSet<>();
    /** For requests whose connection is gone: the answer is dropped, and counts as sent. */
    private static final RtmptTunnel.Replier UNANSWERABLE = (resp, written) -> {
        resp.release();
        written.run();
    };

    /** Told once, at the first valid request: the connection is a carrier, not a session, from then on. */
    private final Runnable notASession;

    /**
     * @param stages      installs the stages of each session the connection opens
     * @param notASession told when the connection turns out to carry RTMPT sessions rather than be one
     *                    (its frontend stops counting it as a session: its tunnelled sessions count)
     */
    public RtmptCarrier(RtmptTunnels tunnels, TunnelStages stages, Runnable notASession) {
        this.tunnels = tunnels;
        this.stages = stages;
        this.notASession = notASession;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        session = Session.of(ctx.channel());
        timer = ctx.pipeline().get(HttpRequestTimer.class);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest) && !(msg instanceof RtmptBodyAggregator.Oversized)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (timer != null) {
            timer.received();
        }
        waiting.add(msg);
        if (!busy) {
            next();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!busy && waiting.isEmpty()) {
            ctx.read();
        }
    }

    private void next() {
        Object next = waiting.poll();
        if (next == null) {
            busy = false;
            if (inputShut) {
                // The client sent its FIN and every request it sent before has its answer.
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> closeHere());
            } else {
                if (timer != null) {
                    timer.awaitNext();
                }
                ctx.read();
            }
            return;
        }
        busy = true;
        if (next instanceof RtmptBodyAggregator.Oversized o) {
            refuseOversized(o);
            return;
        }
        FullHttpRequest r = (FullHttpRequest) next;
        try {
            handle(r);
        } finally {
            r.release();
        }
    }

    /** Its bytes are lost to the RTMP stream, so the session it belonged to cannot go on either. */
    private void refuseOversized(RtmptBodyAggregator.Oversized o) {
        String detail = "RTMPT request body over " + RtmptBodyAggregator.MAX_BODY_BYTES + " bytes";
        RtmptRequest.parse(o.uri()).map(RtmptRequest::sessionId).map(id -> tunnels.find(id, ctx.channel())).ifPresent(t ->
                t.channel.eventLoop().execute(() -> t.fail(Termination.BAD_REQUEST, detail)));
        refuse(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, detail, o.keepAlive());
    }

    private void handle(FullHttpRequest r) {
        boolean keepAlive = HttpUtil.isKeepAlive(r);
        if (r.decoderResult().isFailure()) {
            refuse(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request: " + r.decoderResult().cause().getMessage(),
                    false);
            return;
        }
        if (r.headers().size() > MAX_HEADER_FIELDS) {
            refuse(HttpResponseStatus.BAD_REQUEST, "more than " + MAX_HEADER_FIELDS + " header fields", false);
            return;
        }
        if (!HttpMethod.POST.equals(r.method())) {
            refuse(HttpResponseStatus.METHOD_NOT_ALLOWED, "RTMPT takes POST requests only, not " + r.method(), keepAlive);
            return;
        }
        Optional<RtmptRequest> parsed = RtmptRequest.parse(r.uri());
        if (parsed.isEmpty()) {
            refuse(HttpResponseStatus.NOT_FOUND, "not an RTMPT path: " + Session.cut(r.uri()), keepAlive);
            return;
        }
        RtmptRequest req = parsed.get();
        if (req.command() == RtmptRequest.Command.OPEN) {
            RtmptTunnels.Opened opened = tunnels.open(ctx.channel(), session.proto(), stages);
            if (opened.refusal() == RtmptTunnels.Refusal.FRONTEND_FULL) {
                refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, "too many RTMPT sessions", keepAlive);
                return;
            }
            if (opened.refusal() == RtmptTunnels.Refusal.SOURCE_FULL) {
                refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, "too many RTMPT sessions from this address (at most "
                        + tunnels.maxPerSource() + ")", keepAlive);
                return;
            }
            RtmptTunnel t = opened.tunnel();
            carrying();
            reply(RtmptResponses.opened(t.id, keepAlive), keepAlive);
            return;
        }
        RtmptTunnel t = tunnels.find(req.sessionId(), ctx.channel());
        if (t == null) {
            refuse(HttpResponseStatus.NOT_FOUND, "no such RTMPT session", keepAlive);
            return;
        }
        carrying();
        submit(t, req, r, keepAlive, (resp, written) -> reply(resp, keepAlive, written));
    }

    /** Hands a request to its session, on the session's event loop. */
    private void submit(RtmptTunnel t, RtmptRequest req, FullHttpRequest r, boolean keepAlive,
                        RtmptTunnel.Replier replier) {
        carriedSessions.add(t);
        t.lastCarrier = ctx.channel();
        var in = new RtmptTunnel.Incoming(req, r.content().retain(), keepAlive, replier);
        t.channel.eventLoop().execute(() -> t.submit(in));
    }

    /** The first valid request: the connection has shown it speaks RTMPT, inspection is over. */
    private void carrying() {
        if (!carried) {
            carried = true;
            notASession.run();
            ctx.pipeline().fireUserEventTriggered(InspectionEvent.DONE);
        }
    }

    private void refuse(HttpResponseStatus status, String reason, boolean keepAlive) {
        if (!carried) {
            session.end(Termination.BAD_REQUEST, "RTMPT: " + status.code() + " " + reason);
        }
        reply(RtmptResponses.error(status, reason, keepAlive), keepAlive);
    }

    private void reply(FullHttpResponse response, boolean keepAlive) {
        reply(response, keepAlive, RtmptTunnel.NOTHING);
    }

    /**
     * Writes the answer to the request in progress, from whichever thread produced it. The next
     * request is taken up only once the answer has room on the socket, so that a client that
     * pipelines polls and reads no answer does not pile replies up here.
     */
    private void reply(FullHttpResponse response, boolean keepAlive, Runnable onWritten) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> reply(response, keepAlive, onWritten));
            return;
        }
        if (!ctx.channel().isActive()) {
            response.release();
            onWritten.run();
            return;
        }
        var written = ctx.writeAndFlush(response);
        written.addListener(f -> onWritten.run());
        if (!keepAlive) {
            written.addListener(f -> closeHere());
        } else if (ctx.channel().isWritable() || inputShut) {
            next();
        } else {
            waitingForRoom = true;
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && waitingForRoom) {
            waitingForRoom = false;
            next();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShut = true;
            if (!busy) {
                next();
            } else if (waitingForRoom) {
                // A client that will send nothing more may not read either: answer what is left now.
                waitingForRoom = false;
                next();
            }
        } else if (evt instanceof HttpRequestTimer.Expired e) {
            // HAProxy answers 408 when timeout http-request strikes, and closes.
            if (!carried) {
                session.end(Termination.CLIENT_TIMEOUT, e.detail());
            }
            busy = true;
            if (e.started()) {
                reply(RtmptResponses.error(HttpResponseStatus.REQUEST_TIMEOUT, e.detail(), false), false);
            } else {
                closeHere();
            }
        } else if (evt instanceof IdleStateEvent) {
            if (!carried) {
                session.end(Termination.CLIENT_TIMEOUT, "no RTMPT request");
            }
            closeHere();
        } else if (evt != InspectionEvent.DONE) {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handOverUnanswered();
        if (!inputShut && !closedHere) {
            endSessionsLastCarriedHere();
        }
        if (!carried) {
            session.end(Termination.CLIENT_ABORT, null);
            // Logged only if it never carried a request: then it is a session of its own.
            session.ending().finish();
        }
    }

    /**
     * The connection is gone with requests it brought still unanswered: their sessions still take
     * them, in order, so that a /close/ pipelined behind /send/s just before the client's FIN ends
     * its session now (librtmp does exactly that when it stops), and no send's bytes are lost.
     */
    private void handOverUnanswered() {
        for (Object msg; (msg = waiting.poll()) != null; ) {
            try {
                if (msg instanceof FullHttpRequest r && r.decoderResult().isSuccess() && HttpMethod.POST.equals(r.method())) {
                    RtmptRequest.parse(r.uri()).filter(q -> q.command() != RtmptRequest.Command.OPEN).ifPresent(q -> {
                        RtmptTunnel t = tunnels.find(q.sessionId(), ctx.channel());
                        if (t != null) {
                            submit(t, q, r, false, UNANSWERABLE);
                        }
                    });
                } else if (msg instanceof RtmptBodyAggregator.Oversized o) {
                    refuseOversized(o);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    private void closeHere() {
        closedHere = true;
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!carried) {
            session.endOnClientError(cause);
        }
        ctx.close();
    }

    /**
     * The client left this connection abruptly (a reset, or a close without its FIN and without
     * the router closing it): the sessions whose last request came over it end now. A client that
     * stops closes its socket with our last answers unread, so Linux resets the connection and
     * drops what the client had not sent yet, its /close/ among them (librtmp does this every time
     * it stops: its close came in part or not at all). Such a session would otherwise live until
     * `timeout client`, and an origin that takes one publisher per key would refuse the encoder's
     * reconnect meanwhile. A session that has moved on to another connection goes on, and so does
     * every session after a clean FIN or a close of the router's own (an idle keep-alive).
     */
    private void endSessionsLastCarriedHere() {
        for (RtmptTunnel t : carriedSessions) {
            if (t.lastCarrier == ctx.channel()) {
                t.channel.eventLoop().execute(() -> t.fail(Termination.CLIENT_RESET,
                        "the RTMPT connection that carried its last request ended abruptly"));
            }
        }
        carriedSessions.clear();
    }
}
