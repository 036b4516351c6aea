package io.rtmprouter.proxy.accept;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rtmprouter.proxy.accept.AcceptGate;
import io.rtmprouter.proxy.accept.ConnectionSlots;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AcceptGateTest {
    /** Stands for Netty's acceptor: records the children that were let through. */
    private static final class Accepted extends ChannelInboundHandlerAdapter {
        final List<Channel> children = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            children.add((Channel) msg);
        }
    }

    @Test
    void atMaxconnTheListenerStopsAcceptingAndResumesWhenASlotFrees() {
        ConnectionSlots frontend = new ConnectionSlots("frontend f", 2);
        ConnectionSlots global = new ConnectionSlots("global", 100);
        Accepted accepted = new Accepted();
        EmbeddedChannel listener = new EmbeddedChannel(new AcceptGate(frontend, global), accepted);

        EmbeddedChannel c1 = new EmbeddedChannel();
        EmbeddedChannel c2 = new EmbeddedChannel();
        listener.pipeline().fireChannelRead(c1);
        assertTrue(listener.config().isAutoRead());
        listener.pipeline().fireChannelRead(c2);
        assertEquals(List.of(c1, c2), accepted.children);
        assertFalse(listener.config().isAutoRead(), "the budget is spent: leave further clients in the backlog");

        // A socket the kernel had already handed over in the same batch is held, unread, not closed.
        EmbeddedChannel c3 = new EmbeddedChannel();
        listener.pipeline().fireChannelRead(c3);
        assertEquals(2, accepted.children.size());
        assertTrue(c3.isOpen());

        c1.close();
        listener.runPendingTasks();
        assertEquals(List.of(c1, c2, c3), accepted.children, "the held client takes the freed slot");
        assertFalse(listener.config().isAutoRead(), "still full");

        c2.close();
        listener.runPendingTasks();
        assertTrue(listener.config().isAutoRead(), "room again: accept resumes");
        assertEquals(1, frontend.used());
        c3.close();
        listener.runPendingTasks();
        assertEquals(0, frontend.used());
        assertEquals(0, global.used());
        listener.finishAndReleaseAll();
    }

    @Test
    void theProcessWideBudgetPausesEveryListener() {
        ConnectionSlots global = new ConnectionSlots("global", 1);
        Accepted a = new Accepted();
        Accepted b = new Accepted();
        EmbeddedChannel la = new EmbeddedChannel(new AcceptGate(new ConnectionSlots("a", 10), global), a);
        EmbeddedChannel lb = new EmbeddedChannel(new AcceptGate(new ConnectionSlots("b", 10), global), b);
        EmbeddedChannel c1 = new EmbeddedChannel();
        la.pipeline().fireChannelRead(c1);
        EmbeddedChannel c2 = new EmbeddedChannel();
        lb.pipeline().fireChannelRead(c2);
        assertEquals(List.of(), b.children);
        assertFalse(lb.config().isAutoRead());
        c1.close();
        la.runPendingTasks();
        lb.runPendingTasks();
        assertEquals(List.of(c2), b.children);
        la.finishAndReleaseAll();
        lb.finishAndReleaseAll();
    }

    @Test
    void heldSocketsAreClosedWhenTheListenerCloses() {
        ConnectionSlots slots = new ConnectionSlots("f", 1);
        EmbeddedChannel listener = new EmbeddedChannel(new AcceptGate(slots, new ConnectionSlots("g", 9)), new Accepted());
        listener.pipeline().fireChannelRead(new EmbeddedChannel());
        EmbeddedChannel held = new EmbeddedChannel();
        listener.pipeline().fireChannelRead(held);
        listener.close();
        assertFalse(held.isOpen());
    }
}
