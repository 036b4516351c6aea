package io.rtmprouter.proxy.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.ScheduledFuture;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.session.Termination;
import io.rtmprouter.rtmpt.PollingInterval;
import io.rtmprouter.rtmpt.RtmptRequest;
import io.rtmprouter.rtmpt.RtmptResponses;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One RTMPT session: takes its send/idle/close requests in the order of their sequence numbers,
 * whichever TCP connection brought them, feeds the client's bytes to its {@link TunnelChannel}
 * and answers with what the server sent meanwhile. Confined to the channel's event loop.
 * <p>
 * An idle poll that finds nothing to return is held up to {@link #IDLE_HOLD}, so that a server
 * byte reaches the client at once and librtmp, which polls again as soon as it is answered,
 * does not spin. Requests that arrive ahead of a missing one wait for it up to
 * {@link #GAP_WAIT}; the session expires after `timeout client` without a request.
 */
public final class RtmptTunnel {
    public static final Duration IDLE_HOLD = Duration.ofMillis(200);
    public static final Duration GAP_WAIT = Duration.ofSeconds(5);
    /** How long the last server bytes wait for a client that polls no more, once the server side has closed. */
    static final Duration DRAIN_WAIT = Duration.ofSeconds(10);
    /** Requests that may wait for a missing predecessor. */
    static final int MAX_EARLY_REQUESTS = 8;
    /** Server bytes per reply: bounds the reply, not the stream, which continues on the next poll. */
    public static final int MAX_REPLY_BYTES = TunnelChannel.MAX_HELD_FOR_CLIENT;
    /**
     * Client bytes the server side has not taken yet above which a send is answered only once it
     * has: the client's next request waits, as its writes would on a socket the server does not read.
     */
    public static final int SEND_ANSWER_MARK = 256 * 1024;
    /**
     * Client bytes the server side has not taken yet beyond which the session ends rather than
     * buffer without end: reached only by a client that keeps sending over other connections
     * while its sends go unanswered.
     */
    static final int MAX_UNREAD_FROM_CLIENT = 2 * 1024 * 1024;
    /** For answers whose sending nobody waits on. */
    static final Runnable NOTHING = () -> { };

    /** Answers a request over the connection that brought it. */
    interface Replier {
        /** Sends `response`; `written` runs, on any thread, once it has left (or could not). */
        void send(FullHttpResponse response, Runnable written);
    }

    /** A request with its body (owned) and the way to answer it. */
    record Incoming(RtmptRequest request, ByteBuf body, boolean keepAlive, Replier reply) {
    }

    final String id;
    final TunnelChannel channel;
    private final Duration expiry;
    private final Runnable onFinished;
    private final PollingInterval polling = new PollingInterval();
    private final TreeMap<Long, Incoming> early = new TreeMap<>();
    private long nextSequence;
    private Incoming heldIdle;
    /** Sends whose bytes were delivered and whose answers wait for the server to take them (bodies gone). */
    private final ArrayDeque<Incoming> sendsAwaitingServer = new ArrayDeque<>();
    private ScheduledFuture<?> holdTimer;
    private ScheduledFuture<?> gapTimer;
    private ScheduledFuture<?> expiryTimer;
    /** On the event loop's clock, the one the expiry timer runs on; set when the session starts. */
    private long lastRequestAt;
    private boolean finished;
    /**
     * Server bytes in replies that have not left for the client yet: a reply takes only what
     * {@link #MAX_REPLY_BYTES} leaves above them, so a client that polls over many connections and
     * reads none of them gets nothing more once that much is on its way.
     */
    private volatile int inFlight;
    /** The connection that brought the latest request handed to this session (written by carriers). */
    volatile Channel lastCarrier;

    RtmptTunnel(String id, SocketAddress local, SocketAddress remote, Duration expiry, Runnable onFinished) {
        this.id = id;
        this.channel = new TunnelChannel(local, remote, this::onBytesForClient, this::onClientBytesRead);
        this.expiry = expiry;
        this.onFinished = onFinished;
    }

    void start() {
        lastRequestAt = now();
        channel.closeFuture().addListener(f -> channel.eventLoop().execute(this::onChannelClosed));
        scheduleExpiry(expiry.toNanos());
    }

    /** Called on the channel's event loop for each request of this session. */
    void submit(Incoming in) {
        lastRequestAt = now();
        if (finished) {
            refuse(in, HttpResponseStatus.NOT_FOUND, "no such RTMPT session");
            return;
        }
        long seq = in.request().sequence();
        if (seq < nextSequence || early.containsKey(seq)) {
            refuse(in, HttpResponseStatus.BAD_REQUEST, "RTMPT request " + seq + " was already received");
            return;
        }
        if (seq > nextSequence) {
            if (early.size() >= MAX_EARLY_REQUESTS) {
                refuse(in, HttpResponseStatus.BAD_REQUEST, "too many RTMPT requests ahead of " + nextSequence);
                fail(Termination.BAD_REQUEST, "RTMPT request " + nextSequence + " missing while "
                        + MAX_EARLY_REQUESTS + " later ones waited");
                return;
            }
            early.put(seq, in);
            if (gapTimer == null) {
                long missing = nextSequence;
                gapTimer = channel.eventLoop().schedule(() -> fail(Termination.BAD_REQUEST,
                        "RTMPT request " + missing + " missing after " + GAP_WAIT.toMillis() + "ms"),
                        GAP_WAIT.toNanos(), TimeUnit.NANOSECONDS);
            }
            return;
        }
        process(in);
        while (!finished && !early.isEmpty() && early.firstKey() == nextSequence) {
            process(early.pollFirstEntry().getValue());
        }
        if (early.isEmpty() && gapTimer != null) {
            gapTimer.cancel(false);
            gapTimer = null;
        }
    }

    private void process(Incoming in) {
        nextSequence++;
        answerHeld();
        switch (in.request().command()) {
            case SEND -> {
                int n = in.body().readableBytes();
                if (channel.unreadFromClient() + n > MAX_UNREAD_FROM_CLIENT) {
                    refuse(in, HttpResponseStatus.SERVICE_UNAVAILABLE, "RTMPT session ended: server not reading");
                    fail(Termination.CLIENT_ERROR, "RTMPT client sent over " + MAX_UNREAD_FROM_CLIENT
                            + " bytes the server did not take");
                    return;
                }
                session().clientSent(n);
                channel.deliver(in.body());
                if (channel.unreadFromClient() > SEND_ANSWER_MARK) {
                    sendsAwaitingServer.add(in);
                } else {
                    answer(in);
                }
            }
            case IDLE -> {
                in.body().release();
                if (channel.hasBytesForClient() || !channel.isOpen()) {
                    answer(in);
                } else {
                    heldIdle = in;
                    holdTimer = channel.eventLoop().schedule(this::answerHeld, IDLE_HOLD.toNanos(), TimeUnit.NANOSECONDS);
                }
            }
            case CLOSE -> {
                in.body().release();
                in.reply().send(RtmptResponses.closed(in.keepAlive()), NOTHING);
                // As a FIN would on a socket: the relay (or the stage still inspecting) ends the session.
                channel.close();
                finish();
            }
            default -> throw new IllegalStateException("open is not a request of a session");
        }
    }

    private void answer(Incoming in) {
        ByteBuf data = channel.takeForClient(Math.max(0, MAX_REPLY_BYTES - inFlight));
        int n = data.readableBytes();
        inFlight += n;
        int interval = polling.next(n);
        in.reply().send(RtmptResponses.data(interval, data, in.keepAlive()),
                () -> channel.eventLoop().execute(() -> inFlight -= n));
        if (!channel.isOpen() && !channel.hasBytesForClient()) {
            finish();
        }
    }

    /**
     * What this session holds in memory for its client: waiting bytes both ways, writes waiting
     * for room, and replies on their way. Read from any thread.
     */
    public long heldMemory() {
        return channel.heldMemory() + inFlight;
    }

    /** The pipeline wrote bytes for the client: a held poll can carry them now. */
    void onBytesForClient() {
        answerHeld();
    }

    /** The pipeline read what the client had sent: sends held for the server can be answered. */
    private void onClientBytesRead() {
        while (!sendsAwaitingServer.isEmpty() && channel.unreadFromClient() <= SEND_ANSWER_MARK) {
            answer(sendsAwaitingServer.poll());
        }
    }

    private void answerHeld() {
        if (holdTimer != null) {
            holdTimer.cancel(false);
            holdTimer = null;
        }
        Incoming held = heldIdle;
        heldIdle = null;
        if (held != null) {
            answer(held);
        }
    }

    private void onChannelClosed() {
        // The server side ended: what it sent last still goes out on the next polls, then the id is gone.
        answerHeld();
        if (!channel.hasBytesForClient()) {
            finish();
        } else {
            channel.eventLoop().schedule(this::finish, DRAIN_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void scheduleExpiry(long delayNanos) {
        expiryTimer = channel.eventLoop().schedule(() -> {
            long idle = now() - lastRequestAt;
            if (finished) {
                return;
            }
            if (idle >= expiry.toNanos() && !sendsAwaitingServer.isEmpty()) {
                // The client waits for us: it is the server that has taken nothing all this time.
                fail(Termination.SERVER_TIMEOUT, "the server took none of " + channel.unreadFromClient()
                        + " bytes the client sent for " + TimeUnit.NANOSECONDS.toMillis(idle) + "ms");
            } else if (idle >= expiry.toNanos()) {
                fail(Termination.CLIENT_TIMEOUT, "no RTMPT request for " + TimeUnit.NANOSECONDS.toMillis(idle) + "ms");
            } else {
                scheduleExpiry(expiry.toNanos() - idle);
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * The time as the event loop's scheduler sees it. Measuring idleness with another clock
     * (System.nanoTime) would disagree with the timer that asks, wherever the loop's ticker is not
     * the system's: with a frozen test clock the session never expired.
     */
    private long now() {
        return channel.eventLoop().ticker().nanoTime();
    }

    /** Ends the session for a reason of the tunnel's own; requests waiting get an error. */
    void fail(Termination why, String detail) {
        if (finished) {
            return; // already over (a /close/ handled just before): that is how it ended
        }
        session().end(why, detail);
        channel.close();
        finish();
    }

    private Session session() {
        return Session.of(channel);
    }

    /** Ends the tunnel now, as the router stops: what the client has not polled is dropped. */
    void stop() {
        channel.close();
        finish();
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        answerHeld();
        for (Incoming in : early.values()) {
            refuse(in, HttpResponseStatus.NOT_FOUND, "RTMPT session ended");
        }
        early.clear();
        for (Incoming in; (in = sendsAwaitingServer.poll()) != null; ) {
            in.reply().send(RtmptResponses.error(HttpResponseStatus.NOT_FOUND, "RTMPT session ended", in.keepAlive()), NOTHING);
        }
        for (ScheduledFuture<?> t : new ScheduledFuture<?>[] {gapTimer, expiryTimer}) {
            if (t != null) {
                t.cancel(false);
            }
        }
        channel.releaseHeld();
        onFinished.run();
    }

    private static void refuse(Incoming in, HttpResponseStatus status, String reason) {
        in.body().release();
        in.reply().send(RtmptResponses.error(status, reason, in.keepAlive()), NOTHING);
    }
}
