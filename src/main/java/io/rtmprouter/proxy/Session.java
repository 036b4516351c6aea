package io.rtmprouter.proxy;

import io.netty.util.NetUtil;
import io.rtmprouter.log.LogLine;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What is known about one client connection, from accept to close; its log line is read from
 * here. Confined to the client channel's event loop, except the byte counters.
 */
public final class Session {
    private static final AtomicLong IDS = new AtomicLong();

    final long id = IDS.incrementAndGet();
    final InetSocketAddress client;
    final InetSocketAddress frontendAddress;
    final String frontend;
    final long acceptedAt = System.nanoTime();
    String backend;
    String server;
    /** Bytes received from the client (sent towards the server) and sent to the client. */
    final AtomicLong bytesIn = new AtomicLong();
    final AtomicLong bytesOut = new AtomicLong();
    long queuedAt = -1;
    long queueEndedAt = -1;
    long connectStartedAt = -1;
    long connectedAt = -1;
    int retries;
    boolean spliced;
    boolean redispatched;
    Termination termination;
    String detail;

    Session(InetSocketAddress client, InetSocketAddress frontendAddress, String frontend) {
        this.client = client;
        this.frontendAddress = frontendAddress;
        this.frontend = frontend;
    }

    /** Records the first reason only: later events are consequences of it. */
    boolean end(Termination why, String detail) {
        if (termination != null) {
            return false;
        }
        termination = why;
        this.detail = detail;
        return true;
    }

    boolean ended() {
        return termination != null;
    }

    String logLine() {
        long now = System.nanoTime();
        LogLine l = new LogLine()
                .add("event", "end")
                .add("session", id)
                .add("client", address(client))
                .add("frontend", frontend)
                .add("backend", backend)
                .add("server", server)
                .add("proto", "tcp")
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
