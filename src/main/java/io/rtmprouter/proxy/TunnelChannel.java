package io.rtmprouter.proxy;

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
import io.netty.util.ReferenceCountUtil;

import java.net.SocketAddress;
import java.util.ArrayDeque;

/**
 * The client side of an RTMPT session as a channel, so that the tunnelled byte stream goes
 * through the same stages as a raw RTMP connection (handshake, connect, routing, relay) and the
 * origin sees a plain RTMP connection. There is no socket: bytes the client POSTs are
 * {@link #deliver delivered} as reads, and what the pipeline writes waits here for the client's
 * next poll ({@link #takeForClient}). At most {@link #MAX_HELD_FOR_CLIENT} bytes wait here;
 * beyond that writes stay in the outbound buffer, the channel turns unwritable, and the relay
 * stops reading the server until the client polls.
 */
final class TunnelChannel extends AbstractChannel {
    static final int MAX_HELD_FOR_CLIENT = 256 * 1024;
    private static final ChannelMetadata METADATA = new ChannelMetadata(false);

    private final ChannelConfig config = new DefaultChannelConfig(this);
    private final SocketAddress local;
    private final SocketAddress remote;
    private final Runnable onBytesForClient;
    private final ArrayDeque<ByteBuf> fromClient = new ArrayDeque<>();
    private final ArrayDeque<ByteBuf> forClient = new ArrayDeque<>();
    private int fromClientBytes;
    private int forClientBytes;
    private boolean open = true;
    private boolean readRequested;
    private boolean delivering;

    /**
     * @param onBytesForClient run on the event loop when the pipeline has written bytes for the client
     */
    TunnelChannel(SocketAddress local, SocketAddress remote, Runnable onBytesForClient) {
        super(null);
        this.local = local;
        this.remote = remote;
        this.onBytesForClient = onBytesForClient;
        config.setAutoRead(false);
    }

    /** Hands the pipeline bytes the client sent; the channel owns them from now on. */
    void deliver(ByteBuf bytes) {
        if (!open || !bytes.isReadable()) {
            bytes.release();
            return;
        }
        fromClient.add(bytes);
        fromClientBytes += bytes.readableBytes();
        fireReads();
    }

    /** Bytes the client sent that the pipeline has not read yet (it stops reading under backpressure). */
    int unreadFromClient() {
        return fromClientBytes;
    }

    boolean hasBytesForClient() {
        return forClientBytes > 0;
    }

    /** Up to `max` bytes for the client, in order; the caller owns the result. */
    ByteBuf takeForClient(int max) {
        CompositeByteBuf out = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        while (!forClient.isEmpty() && out.readableBytes() < max) {
            ByteBuf head = forClient.peek();
            int n = Math.min(head.readableBytes(), max - out.readableBytes());
            if (n == head.readableBytes()) {
                out.addComponent(true, forClient.poll());
            } else {
                out.addComponent(true, head.readRetainedSlice(n));
            }
            forClientBytes -= n;
        }
        if (isOpen()) {
            // Room again: move what waited in the outbound buffer, which may make the channel writable.
            unsafe().flush();
        }
        return out;
    }

    private void fireReads() {
        if (delivering) {
            return;
        }
        delivering = true;
        try {
            while (readRequested && !fromClient.isEmpty() && open) {
                readRequested = false;
                ByteBuf b;
                while ((b = fromClient.poll()) != null) {
                    fromClientBytes -= b.readableBytes();
                    pipeline().fireChannelRead(b);
                }
                pipeline().fireChannelReadComplete();
            }
        } finally {
            delivering = false;
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
            if (forClientBytes >= MAX_HELD_FOR_CLIENT) {
                break;
            }
            forClientBytes += buf.readableBytes();
            forClient.add(buf.retain());
            in.remove();
            added = true;
        }
        if (added) {
            onBytesForClient.run();
        }
    }

    /** Frees what the client never polled; the tunnel calls it when it ends. */
    void releaseHeld() {
        forClient.forEach(ReferenceCountUtil::release);
        forClient.clear();
        forClientBytes = 0;
    }

    @Override
    protected void doClose() {
        open = false;
        fromClient.forEach(ReferenceCountUtil::release);
        fromClient.clear();
        fromClientBytes = 0;
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
