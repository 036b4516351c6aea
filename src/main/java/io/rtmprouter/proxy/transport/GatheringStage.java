package io.rtmprouter.proxy.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;

/**
 * A stage that gathers what its channel reads until it has what it needs, then hands the rest
 * on and leaves the pipeline. It asks for more while it stays; what it holds when it is removed
 * or the channel closes is released.
 */
public abstract class GatheringStage extends ChannelInboundHandlerAdapter {
    private ByteBuf gathered;

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in) || !in.isReadable() || finished()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        // Merged into one buffer, as Netty's decoders cumulate: wrapping the gathered bytes and the new
        // ones in a composite per read nested one composite in the next, and reading back bytes gathered
        // a byte at a time (a 15 KB connect) recursed that deep and overflowed an event loop's stack.
        gathered = gathered == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), gathered, in);
        onBytes(ctx, gathered);
    }

    /** Called with everything gathered and not yet taken; readerIndex moves as it is consumed. */
    protected abstract void onBytes(ChannelHandlerContext ctx, ByteBuf gathered);

    /** Whether the stage has done its job; it then stops reading and drops stray bytes. */
    protected boolean finished() {
        return false;
    }

    /** Hands over what was gathered; the caller owns it from now on. */
    protected final ByteBuf take() {
        ByteBuf out = gathered;
        gathered = null;
        return out;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!finished()) {
            ctx.read();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (gathered != null) {
            gathered.release();
            gathered = null;
        }
    }
}
