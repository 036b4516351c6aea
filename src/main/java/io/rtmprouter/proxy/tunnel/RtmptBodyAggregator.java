package io.rtmprouter.proxy.tunnel;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Gathers an RTMPT request's body, up to {@link #MAX_BODY_BYTES}. A larger request is passed on
 * as {@link Oversized} instead of being answered here, so that its 413 goes out in turn, after
 * the answers to the requests before it, and in RTMPT's reply shape; the rest of its body is
 * skipped by Netty.
 */
public final class RtmptBodyAggregator extends HttpObjectAggregator {
    /** A POST carries what the client wrote since its last one: a video key frame fits easily. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    /**
     * A request whose body was too large.
     *
     * @param keepAlive whether the connection can go on: not when part of the body was already read
     */
    record Oversized(String uri, boolean keepAlive) {
    }

    public RtmptBodyAggregator() {
        super(MAX_BODY_BYTES);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        if (!(oversized instanceof HttpRequest r)) {
            ctx.close();
            return;
        }
        boolean keepAlive = !(oversized instanceof FullHttpMessage) && HttpUtil.isKeepAlive(r);
        ctx.fireChannelRead(new Oversized(r.uri(), keepAlive));
    }
}
