package io.rtmprouter.proxy;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.rtmprouter.rtmpt.RtmptRequest;
import io.rtmprouter.rtmpt.RtmptResponses;

import java.util.ArrayDeque;
import java.util.Optional;

/**
 * A TCP connection that carries RTMPT requests (HTTP/1.1 POSTs). It answers them one at a time,
 * in the order they came (pipelined requests wait their turn), and hands each to the session
 * its path names: that session may have been opened over another connection. The connection
 * itself is not a session: it is logged only if it never carried a valid RTMPT request.
 */
final class RtmptCarrier extends ChannelInboundHandlerAdapter {
    private final FrontendContext fc;
    /** Requests not answered yet: FullHttpRequest, or RtmptBodyAggregator.Oversized. */
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Session session;
    private boolean busy;
    private boolean carried;

    RtmptCarrier(FrontendContext fc) {
        this.fc = fc;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        session = ctx.channel().attr(Router.SESSION).get();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest) && !(msg instanceof RtmptBodyAggregator.Oversized)) {
            ReferenceCountUtil.release(msg);
            return;
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
            ctx.read();
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
        RtmptRequest.parse(o.uri()).map(RtmptRequest::sessionId).map(fc.tunnels()::get).ifPresent(t ->
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
            RtmptTunnel t = fc.tunnels().open(ctx.channel(), fc, session.proto);
            if (t == null) {
                refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, "too many RTMPT sessions", keepAlive);
                return;
            }
            carrying();
            reply(RtmptResponses.opened(t.id, keepAlive), keepAlive);
            return;
        }
        RtmptTunnel t = fc.tunnels().get(req.sessionId());
        if (t == null) {
            refuse(HttpResponseStatus.NOT_FOUND, "no such RTMPT session", keepAlive);
            return;
        }
        carrying();
        var in = new RtmptTunnel.Incoming(req, r.content().retain(), keepAlive, resp -> reply(resp, keepAlive));
        t.channel.eventLoop().execute(() -> t.submit(in));
    }

    /** The first valid request: the connection has shown it speaks RTMPT, inspection is over. */
    private void carrying() {
        if (!carried) {
            carried = true;
            ctx.pipeline().fireUserEventTriggered(InspectionEvent.DONE);
        }
    }

    private void refuse(HttpResponseStatus status, String reason, boolean keepAlive) {
        if (!carried) {
            session.end(Termination.BAD_REQUEST, "RTMPT: " + status.code() + " " + reason);
        }
        reply(RtmptResponses.error(status, reason, keepAlive), keepAlive);
    }

    /** Writes the answer to the request in progress, from whichever thread produced it. */
    private void reply(FullHttpResponse response, boolean keepAlive) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> reply(response, keepAlive));
            return;
        }
        if (!ctx.channel().isActive()) {
            response.release();
            return;
        }
        var written = ctx.writeAndFlush(response);
        if (keepAlive) {
            next();
        } else {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (!carried) {
                session.end(Termination.CLIENT_TIMEOUT, "no RTMPT request");
            }
            ctx.close();
        } else if (evt != InspectionEvent.DONE) {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        waiting.forEach(ReferenceCountUtil::release);
        waiting.clear();
        if (!carried) {
            session.end(Termination.CLIENT_ABORT, null);
            fc.sessionLog().accept(session);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!carried) {
            session.end(RelayHandler.isReset(cause) ? Termination.CLIENT_RESET : Termination.CLIENT_ERROR,
                    cause.getMessage());
        }
        ctx.close();
    }
}
