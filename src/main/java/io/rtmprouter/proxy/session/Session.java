package io.rtmprouter.proxy.session;

import io.rtmprouter.proxy.transport.ByteCountingAllocator;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;
import io.rtmprouter.config.Fetch;
import io.rtmprouter.config.FetchedValues;
import io.rtmprouter.log.LogLine;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What is known about one client connection, from accept to close; its log line is read from
 * here. Confined to the client channel's event loop, except the byte counters.
 */
public final class Session implements FetchedValues {
    private static final AttributeKey<Session> KEY = AttributeKey.valueOf("rtmp-router.session");
    private static final AtomicLong IDS = new AtomicLong();
    /** Client-chosen strings are cut to this length in log lines. */
    static final int MAX_LOGGED_TEXT = 256;

    final long id = IDS.incrementAndGet();
    public final InetSocketAddress client;
    public final InetSocketAddress frontendAddress;
    final String frontend;
    final long acceptedAt = System.nanoTime();
    public String backend;
    public String server;
    /**
     * tcp until the first bytes say rtmp, rtmpe, rtmpt (HTTP), rtmps or rtmpts (TLS first) in
     * mode rtmp frontends.
     */
    public String proto = "tcp";
    /** The RTMPT session id, for tunnelled sessions. */
    public String tunnelId;
    /** How much of an RTMPT session id the log shows. */
    static final int LOGGED_ID_CHARS = 8;
    /** Whether the frontend inspects RTMP: then the log line carries what the connect said. */
    public boolean inspecting;
    public String role;
    public String app;
    public String tcUrl;
    public String flashVer;
    public String swfUrl;
    public String pageUrl;
    /** What inspection still waits for, named in an inspect_timeout log line. */
    public String awaiting;
    /** Bytes received from the client (sent towards the server) and sent to the client. */
    public final AtomicLong bytesIn = new AtomicLong();
    public final AtomicLong bytesOut = new AtomicLong();
    public long queuedAt = -1;
    public long queueEndedAt = -1;
    public long connectStartedAt = -1;
    public long connectedAt = -1;
    public int retries;
    public boolean spliced;
    public boolean redispatched;
    public Termination termination;
    String detail;

    public Session(InetSocketAddress client, InetSocketAddress frontendAddress, String frontend) {
        this.client = client;
        this.frontendAddress = frontendAddress;
        this.frontend = frontend;
    }

    /** The session of a client channel (an accepted socket or an RTMPT tunnel); null before it is attached. */
    public static Session of(Channel ch) {
        return ch.attr(KEY).get();
    }

    /** Starts the session of a newly accepted client channel and counts what the client sends. */
    public static Session attach(Channel ch, String frontend, boolean inspecting) {
        Session s = new Session((InetSocketAddress) ch.remoteAddress(), (InetSocketAddress) ch.localAddress(), frontend);
        s.inspecting = inspecting;
        ch.attr(KEY).set(s);
        // Counts what the client sends, through the pipeline or spliced alike.
        ch.config().setRecvByteBufAllocator(new ByteCountingAllocator(s.bytesIn));
        return s;
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
        };
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

    public static String cut(String s) {
        return s == null || s.length() <= MAX_LOGGED_TEXT ? s : s.substring(0, MAX_LOGGED_TEXT) + "...";
    }

    public String logLine() {
        long now = System.nanoTime();
        LogLine l = identify(new LogLine().add("event", "end"))
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

    static String address(InetSocketAddress a) {
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
