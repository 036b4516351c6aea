package io.rtmprouter.proxy.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.FileRegion;
import io.netty.channel.MessageSizeEstimator;

/**
 * Counts a pending write by the memory its buffer occupies (its capacity), not by its readable
 * bytes as Netty's default does, so that the write-buffer marks that pace the relay bound what
 * the router really holds. A live stream's small reads sit in buffers several times their size.
 */
public final class HeldMemoryEstimator implements MessageSizeEstimator {
    public static final HeldMemoryEstimator INSTANCE = new HeldMemoryEstimator();
    /** What Netty's default estimator charges for a message it does not know. */
    private static final int UNKNOWN = 8;

    private static final Handle HANDLE = msg -> {
        if (msg instanceof ByteBuf b) {
            return b.capacity();
        }
        if (msg instanceof ByteBufHolder h) {
            return h.content().capacity();
        }
        return msg instanceof FileRegion ? 0 : UNKNOWN;
    };

    private HeldMemoryEstimator() {
    }

    @Override
    public Handle newHandle() {
        return HANDLE;
    }
}
