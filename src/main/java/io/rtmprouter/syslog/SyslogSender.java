package io.rtmprouter.syslog;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.rtmprouter.config.LogTarget;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends log lines to `log` targets without ever blocking its caller (an event loop): datagrams
 * are written on a thread of their own and dropped while the socket cannot take more; stdout and
 * stderr lines go through a bounded queue to a writer thread, and are dropped when it is full.
 * Every drop is counted (show info's DroppedLogs).
 */
public final class SyslogSender implements AutoCloseable {
    /** Lines waiting for stdout/stderr at most; past that a slow reader of them costs lines, not latency. */
    static final int QUEUE = 10_000;
    private final EventLoopGroup group;
    private final Channel udp;
    private final Channel unix;
    private final BlockingQueue<Object[]> console = new ArrayBlockingQueue<>(QUEUE);
    private final Thread consoleWriter;
    private final LongAdder dropped = new LongAdder();
    private final long pid = ProcessHandle.current().pid();
    private volatile boolean closed;

    public SyslogSender() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("syslog", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        udp = new Bootstrap().group(group).channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .handler(new ChannelInboundHandlerAdapter()).bind(new InetSocketAddress("::", 0)).sync().channel();
        unix = epoll ? new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                .handler(new ChannelInboundHandlerAdapter()).register().sync().channel() : null;
        consoleWriter = new Thread(this::writeConsole, "syslog-console");
        consoleWriter.setDaemon(true);
        consoleWriter.start();
    }

    /** Counts of lines dropped since start. */
    public long dropped() {
        return dropped.sum();
    }

    /** Sends `message` at `severity` to the target, as its format frames it; never blocks. */
    public void send(LogTarget target, int severity, String tag, String message) {
        if (closed) {
            return;
        }
        byte[] frame = SyslogFrames.frame(target, severity, tag, pid, ZonedDateTime.now(ZoneId.systemDefault()), message);
        if (frame == null) {
            return;
        }
        switch (target.kind()) {
            case UDP -> datagram(udp, new DatagramPacket(Unpooled.wrappedBuffer(frame), target.udp()));
            case UNIX -> {
                if (unix == null) {
                    dropped.increment(); // refused at start-up without epoll; counted if it ever gets here
                    return;
                }
                datagram(unix, new DomainDatagramPacket(Unpooled.wrappedBuffer(frame),
                        new DomainSocketAddress(target.path())));
            }
            case STDOUT, STDERR -> {
                if (!console.offer(new Object[] {target.kind(), frame})) {
                    dropped.increment();
                }
            }
        }
    }

    private void datagram(Channel ch, Object packet) {
        if (!ch.isWritable()) {
            io.netty.util.ReferenceCountUtil.release(packet);
            dropped.increment();
            return;
        }
        ch.writeAndFlush(packet).addListener(f -> {
            if (!f.isSuccess()) {
                dropped.increment(); // no receiver (ECONNREFUSED on a UNIX socket), or a full socket buffer
            }
        });
    }

    private void writeConsole() {
        try {
            while (!closed || !console.isEmpty()) {
                Object[] e = console.poll(200, TimeUnit.MILLISECONDS);
                if (e == null) {
                    continue;
                }
                PrintStream out = e[0] == LogTarget.Kind.STDERR ? System.err : System.out;
                try {
                    out.write((byte[]) e[1]);
                    out.flush();
                } catch (IOException ex) {
                    dropped.increment();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            consoleWriter.join(1000); // what is queued for stdout/stderr is written first
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        udp.close();
        if (unix != null) {
            unix.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
