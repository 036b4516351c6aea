package io.rtmprouter.proxy.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts every byte a socket receives. An ordinary read and a kernel splice both report their
 * size to the receive handle, so this one counter is exact whether a direction is relayed through
 * the pipeline or spliced (spliced bytes never reach a handler). It also tells whether the latest
 * read pass brought anything, which is how a spliced, half-closed source is known to be drained.
 */
public final class ByteCountingAllocator implements RecvByteBufAllocator {
    private final RecvByteBufAllocator delegate = new AdaptiveRecvByteBufAllocator();
    private final AtomicLong total;
    private long lastPass;

    /** @param total where the count goes: the session's bytes_in or bytes_out */
    public ByteCountingAllocator(AtomicLong total) {
        this.total = total;
    }

    /** Bytes received during the latest read pass. */
    public long lastPass() {
        return lastPass;
    }

    @Override
    @SuppressWarnings("deprecation")
    public Handle newHandle() {
        ExtendedHandle h = (ExtendedHandle) delegate.newHandle();
        return new ExtendedHandle() {
            @Override
            public void reset(ChannelConfig config) {
                lastPass = 0;
                h.reset(config);
            }

            @Override
            public void lastBytesRead(int bytes) {
                if (bytes > 0) {
                    total.addAndGet(bytes);
                    lastPass += bytes;
                }
                h.lastBytesRead(bytes);
            }

            @Override
            public int lastBytesRead() {
                return h.lastBytesRead();
            }

            @Override
            public ByteBuf allocate(ByteBufAllocator alloc) {
                return h.allocate(alloc);
            }

            @Override
            public int guess() {
                return h.guess();
            }

            @Override
            public void incMessagesRead(int numMessages) {
                h.incMessagesRead(numMessages);
            }

            @Override
            public void attemptedBytesRead(int bytes) {
                h.attemptedBytesRead(bytes);
            }

            @Override
            public int attemptedBytesRead() {
                return h.attemptedBytesRead();
            }

            @Override
            public boolean continueReading() {
                return h.continueReading();
            }

            @Override
            public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
                return h.continueReading(maybeMoreDataSupplier);
            }

            @Override
            public void readComplete() {
                h.readComplete();
            }
        };
    }
}
