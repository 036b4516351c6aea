package io.rtmprouter.proxy.relay;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.rtmprouter.proxy.transport.SocketErrors;

import java.io.IOException;

/**
 * What both ways of moving one direction of a relayed session share, copied ({@link RelayHandler})
 * or spliced ({@link SpliceRelayHandler}): the pair they report to, and how the socket's end,
 * error or regained writability reaches that pair.
 */
abstract class RelayDirection extends ChannelInboundHandlerAdapter {
    final Side side;
    final RelayPair pair;

    RelayDirection(Side side, RelayPair pair) {
        this.side = side;
        this.pair = pair;
    }

    @Override
    public final void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // The other direction may be copied and wait for this channel to drain.
        if (ctx.channel().isWritable()) {
            pair.writable(side);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public final void channelInactive(ChannelHandlerContext ctx) {
        pair.close(side.closed(), null);
    }

    @Override
    public final void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        abortOn(cause);
    }

    /** Ends the pair on a socket error of this side: a reset is how many players leave, not an error. */
    final void abortOn(Throwable cause) {
        if (SocketErrors.isReset(cause)) {
            pair.abort(side.reset(), null);
        } else {
            String detail = cause instanceof IOException ? cause.getMessage() : cause.toString();
            pair.abort(side.failed(), detail);
        }
    }
}
