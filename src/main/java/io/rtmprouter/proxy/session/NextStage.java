package io.rtmprouter.proxy.session;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;

import java.util.function.Supplier;

/**
 * The stage that follows one, named as the pipeline lists it and built when it is needed: a stage
 * adds its successor after itself when it hands over, so that no stage waits in the pipeline
 * before its turn and none removes another.
 */
public record NextStage(String name, Supplier<ChannelHandler> stage) {
    /** Adds the next stage right after `ctx`'s. */
    public void addAfter(ChannelHandlerContext ctx) {
        ctx.pipeline().addAfter(ctx.name(), name, stage.get());
    }
}
