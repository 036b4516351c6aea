package io.rtmprouter.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.rtmprouter.rtmpt.RtmptRequest;

/**
 * Gathers an RTMPT request's body, up to {@link #MAX_BODY_BYTES}. A larger one is answered 413
 * by Netty; its bytes are lost to the RTMP stream, so the session it belonged to ends too.
 */
final class RtmptBodyAggregator extends HttpObjectAggregator {
    /** A POST carries what the client wrote since its last one: a video key frame fits easily. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final FrontendContext fc;

    RtmptBodyAggregator(FrontendContext fc) {
        super(MAX_BODY_BYTES);
        this.fc = fc;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        String detail = "RTMPT request body over " + MAX_BODY_BYTES + " bytes";
        if (oversized instanceof HttpRequest r) {
            RtmptRequest.parse(r.uri()).map(RtmptRequest::sessionId).map(fc.tunnels()::get).ifPresent(t ->
                    t.channel.eventLoop().execute(() -> t.fail(Termination.BAD_REQUEST, detail)));
        }
        ctx.channel().attr(Router.SESSION).get().end(Termination.BAD_REQUEST, detail);
        super.handleOversizedMessage(ctx, oversized);
    }
}
