package io.rtmprouter.proxy.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.EventLoop;
import io.rtmprouter.proxy.transport.CompactByteQueue;
import io.rtmprouter.proxy.transport.HeldMemoryEstimator;

import java.net.SocketAddress;

/**
 * The client side of an RTMPT session as a channel, so that the tunnelled byte stream goes
 * through the same stages as a raw RTMP connection (handshake, connect, routing, relay) and the
 * origin sees a plain RTMP connection. There is no socket: bytes the client POSTs are
 * {@link #deliver delivered} as reads, and what the pipeline writes waits here for the client's
 * next poll ({@link #takeForClient}). At most {@link #MAX_HELD_FOR_CLIENT} bytes wait here;
 * beyond that writes stay in the outbound buffer, the channel turns unwritable, and the relay
 * stops reading the server until the client polls.
 */
public final class TunnelChannel extends AbstractChannel {
    public static final int MAX_HELD_FOR_CLIENT = 256 * 1024;
    private static final ChannelMetadata METADATA = new ChannelMetadata(false);

    private final ChannelConfig config = new DefaultChannelConfig(this);
    private final SocketAddress local;
    private final SocketAddress remote;
    private final Runnable onBytesForClient;
    private final Runnable onClientBytesRead;
    /** Both directions' waiting bytes are copied compactly: their source buffers would pin several times more. */
    private final CompactByteQueue fromClient;
    private final CompactByteQueue forClient;
    private boolean open = true;
    private boolean readRequested;
    private boolean delivering;

    /**
     * @param onBytesForClient run on the event loop when the pipeline has written bytes for the client
     * @param onClientBytesRead run on the event loop when the pipeline has read the client's waiting bytes
     */
    TunnelChannel(SocketAddress local, SocketAddress remote, Runnable onBytesForClient, Runnable onClientBytesRead) {
        super(null);
        this.local = local;
        this.remote = remote;
        this.onBytesForClient = onBytesForClient;
        this.onClientBytesRead = onClientBytesRead;
        config.setAutoRead(false);
        config.setMessageSizeEstimator(HeldMemoryEstimator.INSTANCE);
        fromClient = new CompactByteQueue(config.getAllocator());
        forClient = new CompactByteQueue(config.getAllocator());
    }

    /** Hands the pipeline bytes the client sent; the channel owns them from now on. */
    void deliver(ByteBuf bytes) {
        try {
            if (!open || !bytes.isReadable()) {
                return;
            }
            fromClient.add(bytes, bytes.readableBytes());
        } finally {
            bytes.release();
        }
        fireReads();
    }

    /** Bytes the client sent that the pipeline has not read yet (it stops reading under backpressure). */
    int unreadFromClient() {
        return fromClient.readableBytes();
    }

    boolean hasBytesForClient() {
        return !forClient.isEmpty();
    }

    /** Up to `max` bytes for the client, in order; the caller owns the result. */
    ByteBuf takeForClient(int max) {
        CompositeByteBuf out = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        forClient.takeInto(out, max);
        if (isOpen()) {
            // Room again: move what waited in the outbound buffer, which may make the channel writable.
            unsafe().flush();
        }
        return out;
    }

    /**
     * What this session holds in memory for its client, in bytes: both directions' waiting bytes
     * and the pipeline's writes that wait for room (counted by the buffers they occupy). Read from
     * any thread, for the router's accounting.
     */
    long heldMemory() {
        ChannelOutboundBuffer outbound = unsafe().outboundBuffer();
        return fromClient.memory() + forClient.memory() + (outbound == null ? 0 : outbound.totalPendingWriteBytes());
    }

    private void fireReads() {
        if (delivering) {
            return;
        }
        delivering = true;
        boolean read = false;
        try {
            while (readRequested && !fromClient.isEmpty() && open) {
                readRequested = false;
                read = true;
                ByteBuf b;
                while ((b = fromClient.poll()) != null) {
                    pipeline().fireChannelRead(b);
                }
                pipeline().fireChannelReadComplete();
            }
        } finally {
            delivering = false;
        }
        if (read) {
            onClientBytesRead.run();
        }
    }

    @Override
    protected void doBeginRead() {
        readRequested = true;
        fireReads();
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
        boolean added = false;
        for (;;) {
            Object msg = in.current();
            if (msg == null) {
                break;
            }
            if (!(msg instanceof ByteBuf buf)) {
                in.remove(new UnsupportedOperationException("a tunnel carries bytes only"));
                continue;
            }
            if (!buf.isReadable()) {
                in.remove();
                continue;
            }
            int room = MAX_HELD_FOR_CLIENT - forClient.readableBytes();
            if (room <= 0) {
                break;
            }
            int n = forClient.add(buf, room);
            added = true;
            if (buf.isReadable()) {
                // Copying advanced the buffer: tell the outbound buffer it was written in part.
                in.progress(n);
                break;
            }
            in.remove();
        }
        if (added) {
            onBytesForClient.run();
        }
    }

    /** Frees what the client never polled; the tunnel calls it when it ends. */
    void releaseHeld() {
        forClient.clear();
    }

    @Override
    protected void doClose() {
        open = false;
        fromClient.clear();
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return true;
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException("a tunnel is not bound");
    }

    @Override
    protected void doDisconnect() {
        doClose();
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new AbstractUnsafe() {
            @Override
            public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
                promise.setFailure(new UnsupportedOperationException("a tunnel is connected by its client"));
            }
        };
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }
}
