package io.rtmprouter.bench;

import io.rtmprouter.proxy.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Opens the sessions a {@link BenchOptions} asks for, at most `concurrency` at once and `rate`
 * new per second, each from the next source address, and gathers their results.
 */
final class LoadGenerator {
    private final BenchOptions options;
    private final PrintStream progress;
    private final List<SessionResult> results = new ArrayList<>();
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicLong bytesDone = new AtomicLong();

    LoadGenerator(BenchOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    BenchResults run() throws InterruptedException {
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newGroup(Runtime.getRuntime().availableProcessors(), "bench");
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-progress");
            t.setDaemon(true);
            return t;
        });
        Semaphore slots = new Semaphore(options.concurrency());
        CountDownLatch done = new CountDownLatch(options.sessions());
        long begin = System.nanoTime();
        ticker.scheduleAtFixedRate(() -> printProgress(begin), 1, 1, TimeUnit.SECONDS);
        try {
            Bootstrap b = new Bootstrap()
                    .group(group)
                    .channel(transport.socketChannel())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis()));
            InetSocketAddress target = new InetSocketAddress(options.url().host(), options.url().port());
            for (int i = 0; i < options.sessions(); i++) {
                slots.acquire();
                if (options.rate() > 0) {
                    long due = begin + (long) (i * 1e9 / options.rate());
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                start(b, target, i, slots, done);
            }
            done.await();
        } finally {
            ticker.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        long elapsed = System.nanoTime() - begin;
        synchronized (results) {
            return new BenchResults(options, List.copyOf(results), elapsed);
        }
    }

    private void start(Bootstrap template, InetSocketAddress target, int i, Semaphore slots, CountDownLatch done) {
        long startedAt = System.nanoTime();
        started.incrementAndGet();
        active.incrementAndGet();
        // A failed connect and a closing session may both report: the first one counts.
        AtomicBoolean reported = new AtomicBoolean();
        Consumer<SessionResult> report = r -> {
            if (!reported.compareAndSet(false, true)) {
                return;
            }
            synchronized (results) {
                results.add(r);
            }
            if (!r.ok()) {
                failed.incrementAndGet();
            }
            bytesDone.addAndGet(r.bytesIn());
            active.decrementAndGet();
            slots.release();
            done.countDown();
        };
        Bootstrap b = template.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new BenchSession(options, startedAt, report));
            }
        });
        ChannelFuture f = options.sources().isEmpty() ? b.connect(target)
                : b.connect(target, new InetSocketAddress(options.sources().get(i % options.sources().size()), 0));
        f.addListener(c -> {
            if (!c.isSuccess()) {
                report.accept(BenchSession.connectFailed(c.cause()));
            }
        });
    }

    private void printProgress(long begin) {
        double seconds = (System.nanoTime() - begin) / 1e9;
        int finished;
        synchronized (results) {
            finished = results.size();
        }
        progress.printf("bench: %.0fs started %d/%d, active %d, finished %d, failed %d%n", seconds, started.get(),
                options.sessions(), active.get(), finished, failed.get());
    }
}
