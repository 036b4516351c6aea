package io.rtmprouter.proxy.accept;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Sits on a listening channel, before Netty's acceptor, and enforces `maxconn` the way HAProxy
 * does: when the frontend's or the process's budget is spent, it stops accepting, so further
 * clients wait in the kernel's backlog instead of being accepted and closed. The few sockets
 * already accepted in the same batch are held, unread, until a slot frees. A bind has one
 * listener per event loop (SO_REUSEPORT), each with its own gate; a gate that is not paused
 * is not woken when a session ends, so the common case costs no cross-thread task.
 */
public final class AcceptGate extends ChannelInboundHandlerAdapter {
    private final ConnectionSlots frontend;
    private final ConnectionSlots global;
    private final Deque<Channel> held = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    /** Written on the listener's loop, read by whichever thread gives a slot back. */
    private volatile boolean paused;

    public AcceptGate(ConnectionSlots frontend, ConnectionSlots global) {
        this.frontend = frontend;
        this.global = global;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        Runnable wake = () -> {
            if (paused) {
                ctx.executor().execute(this::admitHeld);
            }
        };
        frontend.onRelease(wake);
        global.onRelease(wake);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        if (held.isEmpty() && tryAdmit(child)) {
            if (!frontend.hasRoom() || !global.hasRoom()) {
                pause();
            }
            return;
        }
        held.addLast(child);
        pause();
    }

    private void pause() {
        paused = true;
        ctx.channel().config().setAutoRead(false);
        // A slot given back before `paused` was visible woke nobody: look again.
        if (frontend.hasRoom() && global.hasRoom()) {
            ctx.executor().execute(this::admitHeld);
        }
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
            paused = false;
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
