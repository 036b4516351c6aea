package io.rtmprouter.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Sits on a listening channel, before Netty's acceptor, and enforces `maxconn` the way HAProxy
 * does: when the frontend's or the process's budget is spent, it stops accepting, so further
 * clients wait in the kernel's backlog instead of being accepted and closed. The few sockets
 * already accepted in the same batch are held, unread, until a slot frees.
 */
final class AcceptGate extends ChannelInboundHandlerAdapter {
    private final ConnectionSlots frontend;
    private final ConnectionSlots global;
    private final Deque<Channel> held = new ArrayDeque<>();
    private ChannelHandlerContext ctx;

    AcceptGate(ConnectionSlots frontend, ConnectionSlots global) {
        this.frontend = frontend;
        this.global = global;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        Runnable wake = () -> ctx.executor().execute(this::admitHeld);
        frontend.onRelease(wake);
        global.onRelease(wake);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        if (held.isEmpty() && tryAdmit(child)) {
            if (!frontend.hasRoom() || !global.hasRoom()) {
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        held.addLast(child);
        ctx.channel().config().setAutoRead(false);
    }

    private boolean tryAdmit(Channel child) {
        if (!frontend.tryAcquire()) {
            return false;
        }
        if (!global.tryAcquire()) {
            frontend.release();
            return false;
        }
        child.closeFuture().addListener(f -> {
            frontend.release();
            global.release();
        });
        ctx.fireChannelRead(child);
        return true;
    }

    private void admitHeld() {
        while (!held.isEmpty()) {
            if (!tryAdmit(held.peekFirst())) {
                return;
            }
            held.pollFirst();
        }
        Channel listener = ctx.channel();
        if (listener.isOpen() && !listener.config().isAutoRead() && frontend.hasRoom() && global.hasRoom()) {
            listener.config().setAutoRead(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (Channel c : held) {
            c.unsafe().closeForcibly();
        }
        held.clear();
        ctx.fireChannelInactive();
    }
}
