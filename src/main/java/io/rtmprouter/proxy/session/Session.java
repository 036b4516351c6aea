package io.rtmprouter.proxy.session;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;
import io.rtmprouter.config.Fetch;
import io.rtmprouter.config.CounterFetch;
import io.rtmprouter.config.RuleTarget;
import io.rtmprouter.log.LogLine;
import io.rtmprouter.proxy.transport.ByteCountingAllocator;
import io.rtmprouter.proxy.transport.SocketErrors;
import io.rtmprouter.rtmp.ConnectCommand;
import io.rtmprouter.stick.StickTables;
import io.rtmprouter.stick.TrackedCounters;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What is known about one client connection, from accept to close; its log line is read from
 * here. Confined to the client channel's event loop, except the byte counters.
 */
public final class Session implements RuleTarget {
    private static final AttributeKey<Session> KEY = AttributeKey.valueOf("rtmp-router.session");
    private static final AtomicLong IDS = new AtomicLong();
    /** `ts_accept`, in the form of the `ts` field: UTC, milliseconds. */
    private static final java.time.format.DateTimeFormatter TS_ACCEPT = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);
    /** Client-chosen strings are cut to this length in log lines. */
    static final int MAX_LOGGED_TEXT = 256;

    private final long id = IDS.incrementAndGet();
    /** The connection's peer, until a PROXY header names the real client (and the address it reached). */
    private InetSocketAddress client;
    private InetSocketAddress frontendAddress;
    private final String frontend;
    private final long acceptedAt = System.nanoTime();
    /** The accept's wall-clock time, for HAProxy's log lines. */
    private final long acceptedAtMillis = System.currentTimeMillis();
    /** Written once by its stages, read by `show stat` and `show sess` from other threads. */
    private volatile String backend;
    private volatile String server;
    /**
     * tcp until the first bytes say rtmp, rtmpe, rtmpt (HTTP), rtmps or rtmpts (TLS first) in
     * mode rtmp frontends.
     */
    private String proto = "tcp";
    /** The RTMPT session id, for tunnelled sessions. */
    private String tunnelId;
    /** How much of an RTMPT session id the log shows. */
    static final int LOGGED_ID_CHARS = 8;
    /** Whether the frontend inspects RTMP: then the log line carries what the connect said. */
    private boolean inspecting;
    private String role;
    private String app;
    private String tcUrl;
    private String flashVer;
    private String swfUrl;
    private String pageUrl;
    /** What inspection still waits for, named in an inspect_timeout log line. */
    private String awaiting;
    /** Bytes received from the client (sent towards the server) and sent to the client. */
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    /** bytesOut when the latest connect attempt began: a failed attempt's bytes are not the client's. */
    private long bytesOutBeforeAttempt;
    private long queuedAt = -1;
    private long queueEndedAt = -1;
    private long connectStartedAt = -1;
    private long connectedAt = -1;
    private int retries;
    private int failedAttempts;
    private boolean spliced;
    private boolean redispatched;
    private Termination termination;
    private String detail;
    /** The stick counters the `track-sc` rules set; sessions built without tables (in tests) track none. */
    private TrackedCounters counters;
    /** Where the tracked tables are told, every second, what the session moved; null without a channel. */
    private Channel channel;
    private ScheduledFuture<?> byteReports;
    /** Sessions built without a log (in tests) end unlogged. */
    private SessionEnd ending = new SessionEnd(this, s -> { });

    public Session(InetSocketAddress client, InetSocketAddress frontendAddress, String frontend) {
        this.client = client;
        this.frontendAddress = frontendAddress;
        this.frontend = frontend;
        this.counters = new TrackedCounters(StickTables.NONE, client == null ? null : client.getAddress());
    }

    /** The session of a client channel (an accepted socket or an RTMPT tunnel); null before it is attached. */
    public static Session of(Channel ch) {
        return ch.attr(KEY).get();
    }

    /**
     * Starts the session of a newly accepted client channel and counts what the client sends.
     *
     * @param log receives the session's line when it is over
     */
    public static Session attach(Channel ch, String frontend, boolean inspecting, StickTables tables,
                                 Consumer<Session> log) {
        Session s = new Session((InetSocketAddress) ch.remoteAddress(), (InetSocketAddress) ch.localAddress(), frontend);
        s.inspecting = inspecting;
        s.counters = new TrackedCounters(tables, s.client == null ? null : s.client.getAddress());
        s.channel = ch;
        s.ending = new SessionEnd(s, log);
        ch.attr(KEY).set(s);
        // Counts what the client sends, through the pipeline or spliced alike.
        ch.config().setRecvByteBufAllocator(new ByteCountingAllocator(s.bytesIn));
        return s;
    }

    // ---- what happened, in the order a session meets it ----------------------------------

    /**
     * An `accept-proxy` bind's PROXY header named the real client and the address it connected
     * to: from here on they are the session's, for the rules, stickiness, `usesrc clientip`, the
     * log and the servers' own PROXY headers. Connection rules and counters tracked by them keep
     * the connection's address, as in HAProxy.
     */
    public void proxied(InetSocketAddress realClient, InetSocketAddress reached) {
        client = realClient;
        frontendAddress = reached;
        counters.clientIs(realClient.getAddress());
    }

    /** Inspection now waits for `what` (named if the inspect delay passes first); null: for nothing. */
    public void awaiting(String what) {
        awaiting = what;
    }

    /** The first bytes (or those inside TLS) said what the client speaks. */
    public void detected(String protocol) {
        proto = protocol;
    }

    /** The client asked for RTMPE: its connect is encrypted, so nothing of it can be read. */
    public void encrypted() {
        proto = "rtmpe";
        role = "unknown";
    }

    /** The client's connect was read: what the rules and the log see of it. */
    public void inspected(ConnectCommand connect) {
        app = connect.app();
        tcUrl = connect.tcUrl();
        flashVer = connect.flashVer();
        swfUrl = connect.swfUrl();
        pageUrl = connect.pageUrl();
        role = connect.role().logName();
        awaiting = null;
    }

    /** The session is carried by an RTMPT tunnel (`rtmpt`, or `rtmpts` inside TLS). */
    public void tunnelled(String protocol, String id) {
        proto = protocol;
        tunnelId = id;
    }

    /** The rules chose `name`. */
    public void routed(String name) {
        backend = name;
    }

    /** Every server of the backend was at its maxconn: the session waits in the queue. */
    public void queued() {
        queuedAt = System.nanoTime();
    }

    /** A server was granted, the queue timed out, or the client left it. */
    public void leftQueue() {
        queueEndedAt = System.nanoTime();
    }

    /**
     * An attempt to connect to `name` begins; returns the counter of the server's bytes, which
     * are the client's own from here on (a failed attempt's are taken back).
     */
    public ByteCountingAllocator connecting(String name) {
        server = name;
        if (connectStartedAt < 0) {
            connectStartedAt = System.nanoTime();
        }
        bytesOutBeforeAttempt = bytesOut.get();
        return new ByteCountingAllocator(bytesOut);
    }

    /** That attempt failed: what its server sent never reached the client. */
    public void attemptFailed() {
        bytesOut.set(bytesOutBeforeAttempt);
        failedAttempts++;
    }

    /** Another attempt follows; `toAnotherServer` when it is HAProxy's redispatch. */
    public void retrying(boolean toAnotherServer) {
        retries++;
        redispatched |= toAnotherServer;
    }

    /** The server is ready: connected, and in mode rtmp past the router's handshake with it. */
    public void connected() {
        connectedAt = System.nanoTime();
    }

    /** A direction of the relay is spliced in the kernel. */
    public void splicing() {
        spliced = true;
    }

    /** Client bytes that did not come through the channel's allocator (an RTMPT body). */
    public void clientSent(int bytes) {
        bytesIn.addAndGet(bytes);
    }

    // ---- what the stages ask ---------------------------------------------------------------

    /** How the session will be over: the one place its line is logged. */
    public SessionEnd ending() {
        return ending;
    }

    public InetSocketAddress client() {
        return client;
    }

    public InetSocketAddress frontendAddress() {
        return frontendAddress;
    }

    public boolean inspecting() {
        return inspecting;
    }

    public String proto() {
        return proto;
    }

    public String awaiting() {
        return awaiting;
    }

    public String role() {
        return role;
    }

    public String app() {
        return app;
    }

    public String tcUrl() {
        return tcUrl;
    }

    public String flashVer() {
        return flashVer;
    }

    public String frontend() {
        return frontend;
    }

    public String backend() {
        return backend;
    }

    public String server() {
        return server;
    }

    public long bytesIn() {
        return bytesIn.get();
    }

    public boolean spliced() {
        return spliced;
    }

    public Termination termination() {
        return termination;
    }

    @Override
    public InetAddress source() {
        return client.getAddress();
    }

    @Override
    public String text(Fetch fetch) {
        return switch (fetch) {
            case SRC -> NetUtil.toAddressString(client.getAddress());
            case RTMP_PROTO -> proto;
            case RTMP_ROLE -> role;
            case RTMP_APP -> app;
            case RTMP_TCURL -> tcUrl;
            case RTMP_FLASHVER -> flashVer;
            case RTMP_SWFURL -> swfUrl;
            case RTMP_PAGEURL -> pageUrl;
            case STICK_COUNTER -> null;
        };
    }

    @Override
    public OptionalLong counter(CounterFetch fetch) {
        return counters.read(fetch);
    }

    @Override
    public void track(int counter, String table) {
        counters.track(counter, table);
        if (byteReports == null && channel != null && counters.countsBytes()) {
            // HAProxy counts bytes as they move; a relay that splices in the kernel tells us once a second.
            byteReports = channel.eventLoop().scheduleAtFixedRate(() -> counters.moved(bytesIn.get(), bytesOut.get()),
                    1, 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public void incrementGpc(int counter, int which) {
        counters.incrementGpc(counter, which);
    }

    @Override
    public void setGpt0(int counter, long value) {
        counters.setGpt0(counter, value);
    }

    /** A connection rule said `expect-proxy layer4`. */
    private boolean expectsProxyHeader;

    @Override
    public void expectProxyHeader() {
        expectsProxyHeader = true;
    }

    /** Whether a PROXY header must come first although the bind has no accept-proxy. */
    public boolean expectsProxyHeader() {
        return expectsProxyHeader;
    }

    /** The connection rules let the session in. */
    public void accepted() {
        counters.sessionAccepted();
    }

    /** The session is over: its tracked entries count its last bytes and are let go. */
    void releaseCounters() {
        if (byteReports != null) {
            byteReports.cancel(false);
        }
        counters.release(bytesIn.get(), bytesOut.get());
    }

    /**
     * A side that was passed the other's FIN did not close within `timeout client-fin|server-fin`:
     * that timeout is what ended the session, as HAProxy logs it (cD, sD), not the first FIN.
     */
    public void endedByFinTimeout(Termination timeout) {
        termination = timeout;
        detail = null;
    }

    /** Records the first reason only: later events are consequences of it. */
    public boolean end(Termination why, String detail) {
        if (termination != null) {
            return false;
        }
        termination = why;
        // Details quote what peers sent (Netty puts a whole TLS record in hex into its message):
        // one line per session, of bounded length.
        this.detail = cut(detail);
        return true;
    }

    /**
     * Ends the session on a socket error of the client's: a reset is how many clients leave
     * (client_reset), anything else is the client's error, with its message.
     */
    public boolean endOnClientError(Throwable cause) {
        boolean reset = SocketErrors.isReset(cause);
        return end(reset ? Termination.CLIENT_RESET : Termination.CLIENT_ERROR, reset ? null : cause.getMessage());
    }

    /** Whether we answer the client's RTMP handshake ourselves (not RTMPE, not mode tcp). */
    public boolean terminatesRtmp() {
        return switch (proto) {
            case "rtmp", "rtmps", "rtmpt", "rtmpts" -> true;
            default -> false;
        };
    }

    /** Whether the client's bytes are the socket's bytes (no TLS, no tunnel): then they may be spliced. */
    public boolean onPlainSocket() {
        return switch (proto) {
            case "tcp", "rtmp", "rtmpe" -> true;
            default -> false;
        };
    }

    public boolean ended() {
        return termination != null;
    }

    /** Logged when the server is ready, so that a long session is visible while it runs. */
    public String routedLine() {
        return identify(new LogLine().add("event", "routed")).add("connect_ms", millis(connectStartedAt, connectedAt))
                .add("retries", retries).toString();
    }

    private LogLine identify(LogLine l) {
        l.add("session", id)
                .add("client", address(client))
                .add("frontend", frontend)
                .add("backend", backend)
                .add("server", server)
                .add("proto", proto);
        if (tunnelId != null) {
            // The id is the session's only secret besides the client's address: the log shows
            // enough of it to follow the session (32 of its 128 bits), not enough to use it.
            l.add("rtmpt_session", tunnelId.substring(0, Math.min(LOGGED_ID_CHARS, tunnelId.length())));
        }
        if (inspecting) {
            l.add("role", role)
                    .add("app", cut(app))
                    .add("tcurl", cut(tcUrl))
                    .add("flashver", cut(flashVer));
        }
        return l;
    }

    // ---- what `show stat` counts when it is over ------------------------------------------

    public long bytesOut() {
        return bytesOut.get();
    }

    public long id() {
        return id;
    }

    /** Milliseconds in a queue, -1 if it never queued. */
    public long queueMillis() {
        return queuedAt < 0 ? -1 : millis(queuedAt, queueEndedAt < 0 ? System.nanoTime() : queueEndedAt);
    }

    /** Milliseconds to connect to its server (and its handshake in mode rtmp), -1 if it never connected. */
    public long connectMillis() {
        return connectStartedAt < 0 || connectedAt < 0 ? -1 : millis(connectStartedAt, connectedAt);
    }

    public long acceptedAtMillis() {
        return acceptedAtMillis;
    }

    /** Whether a connection attempt to a server began. */
    public boolean connecting() {
        return connectStartedAt >= 0;
    }

    /** Whether the server connection was made (and in mode rtmp, its handshake done). */
    public boolean connectedToServer() {
        return connectedAt >= 0;
    }

    public long ageMillis() {
        return millis(acceptedAt, System.nanoTime());
    }

    public int retries() {
        return retries;
    }

    public boolean redispatched() {
        return redispatched;
    }

    /** Connection attempts to servers that failed (HAProxy's econ counts each). */
    public int failedAttempts() {
        return failedAttempts;
    }

    public String detail() {
        return detail;
    }

    public static String cut(String s) {
        return s == null || s.length() <= MAX_LOGGED_TEXT ? s : s.substring(0, MAX_LOGGED_TEXT) + "...";
    }

    public String logLine() {
        long now = System.nanoTime();
        LogLine l = identify(new LogLine().add("event", "end"))
                .add("ts_accept", TS_ACCEPT.format(java.time.Instant.ofEpochMilli(acceptedAtMillis)))
                .add("bytes_in", bytesIn.get())
                .add("bytes_out", bytesOut.get())
                .add("duration_ms", millis(acceptedAt, now))
                .add("queue_ms", queuedAt < 0 ? 0 : millis(queuedAt, queueEndedAt < 0 ? now : queueEndedAt))
                .add("connect_ms", connectStartedAt < 0 || connectedAt < 0 ? -1 : millis(connectStartedAt, connectedAt))
                .add("retries", retries)
                .add("redispatched", redispatched)
                .add("splice", spliced)
                .add("term", termination);
        if (detail != null) {
            l.add("detail", detail);
        }
        return l.toString();
    }

    public static String address(InetSocketAddress a) {
        if (a == null) {
            return null;
        }
        // RFC 5952 form (::1, not 0:0:0:0:0:0:0:1), as operators and HAProxy write addresses.
        String host = a.getAddress() != null ? NetUtil.toAddressString(a.getAddress()) : a.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static long millis(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }
}
