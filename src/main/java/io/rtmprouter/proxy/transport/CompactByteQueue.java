package io.rtmprouter.proxy.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * Bytes waiting in the router, copied into blocks of {@link #BLOCK} bytes, so that what they cost
 * is what they are. Keeping the buffers they came in instead pins far more: a live stream arrives
 * in reads of a few hundred bytes, each in a buffer of 0.5-8 KiB, and 256 KiB of them held
 * 1.0-1.6 MB (measured in StalledPlayersScenarioTest). Memory held is at most the bytes plus two
 * blocks: the first may be partly taken, the last partly filled. Confined to one event loop;
 * {@link #memory()} may be read from any thread.
 */
public final class CompactByteQueue {
    public static final int BLOCK = 16 * 1024;

    private final ByteBufAllocator alloc;
    private final ArrayDeque<ByteBuf> blocks = new ArrayDeque<>();
    private int readable;
    private volatile long memory;

    public CompactByteQueue(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    /** Copies up to `max` of `src`'s readable bytes in (src keeps its ownership); returns how many. */
    public int add(ByteBuf src, int max) {
        int copied = 0;
        while (copied < max && src.isReadable()) {
            ByteBuf tail = blocks.peekLast();
            if (tail == null || !tail.isWritable()) {
                tail = alloc.directBuffer(BLOCK, BLOCK);
                blocks.add(tail);
                memory += tail.capacity();
            }
            int n = Math.min(Math.min(src.readableBytes(), tail.writableBytes()), max - copied);
            tail.writeBytes(src, n);
            copied += n;
        }
        readable += copied;
        return copied;
    }

    /** Moves up to `max` bytes, in order, to the end of `out`. */
    public void takeInto(CompositeByteBuf out, int max) {
        int taken = 0;
        while (taken < max && !blocks.isEmpty()) {
            ByteBuf head = blocks.peek();
            int n = Math.min(head.readableBytes(), max - taken);
            boolean whole = n == head.readableBytes() && !head.isWritable();
            if (whole) {
                blocks.poll();
                memory -= head.capacity();
                out.addComponent(true, head);
            } else if (n > 0) {
                out.addComponent(true, head.readRetainedSlice(n));
            }
            taken += n;
            if (!whole && !head.isReadable()) {
                // The block still being filled is empty: nothing to take until more is added.
                break;
            }
        }
        readable -= taken;
        releaseIfEmpty();
    }

    /** An empty queue holds no block: its last one, partly filled and fully taken, would stay otherwise. */
    private void releaseIfEmpty() {
        if (readable == 0 && !blocks.isEmpty()) {
            clear();
        }
    }

    /** The oldest bytes waiting, up to one block, owned by the caller; null when empty. */
    public ByteBuf poll() {
        ByteBuf head = blocks.peek();
        if (head == null || !head.isReadable()) {
            return null;
        }
        readable -= head.readableBytes();
        if (head.isWritable()) {
            ByteBuf slice = head.readRetainedSlice(head.readableBytes());
            releaseIfEmpty();
            return slice;
        }
        blocks.poll();
        memory -= head.capacity();
        return head;
    }

    public int readableBytes() {
        return readable;
    }

    public boolean isEmpty() {
        return readable == 0;
    }

    /** What the blocks occupy, in bytes: at most the readable bytes plus two blocks. */
    public long memory() {
        return memory;
    }

    public void clear() {
        blocks.forEach(ReferenceCountUtil::release);
        blocks.clear();
        readable = 0;
        memory = 0;
    }
}
