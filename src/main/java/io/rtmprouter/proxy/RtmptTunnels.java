package io.rtmprouter.proxy;

import io.netty.channel.Channel;
import io.rtmprouter.rtmpt.SessionIds;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The RTMPT sessions of one frontend, by id. Requests of a session may come over any TCP
 * connection, so this map is shared by all of the frontend's event loops.
 */
final class RtmptTunnels {
    /** How long a session lives without a request when the frontend has no `timeout client`. */
    static final Duration DEFAULT_EXPIRY = Duration.ofSeconds(60);

    private final Map<String, RtmptTunnel> byId = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final SessionIds ids = new SessionIds();
    private final int maxSessions;
    private final Duration expiry;
    private final Consumer<Channel> onOpened;

    /**
     * @param onOpened told of every tunnel channel, so that a shutdown reaches tunnelled sessions too
     */
    RtmptTunnels(int maxSessions, Duration expiry, Consumer<Channel> onOpened) {
        this.maxSessions = maxSessions;
        this.expiry = expiry;
        this.onOpened = onOpened;
    }

    /**
     * Opens a session for the client behind `carrier` (the connection that brought /open), on
     * that connection's event loop; null when the frontend already holds its maximum.
     */
    RtmptTunnel open(Channel carrier, FrontendContext fc, String proto) {
        // Opens come from every event loop: reserve the place first, so the maximum holds.
        if (open.incrementAndGet() > maxSessions) {
            open.decrementAndGet();
            return null;
        }
        String id = ids.next();
        RtmptTunnel tunnel = new RtmptTunnel(id, carrier.localAddress(), carrier.remoteAddress(), expiry,
                () -> forget(id));
        SessionPipeline.initTunnel(tunnel.channel, fc, proto, id);
        byId.put(id, tunnel);
        onOpened.accept(tunnel.channel);
        carrier.eventLoop().register(tunnel.channel).addListener(f -> {
            if (f.isSuccess()) {
                tunnel.start();
            } else {
                forget(id);
            }
        });
        return tunnel;
    }

    private void forget(String id) {
        if (byId.remove(id) != null) {
            open.decrementAndGet();
        }
    }

    Duration expiry() {
        return expiry;
    }

    /** Ends every tunnel on its own event loop, and waits until they are ended. */
    void stopAll() {
        for (RtmptTunnel t : byId.values()) {
            t.channel.eventLoop().submit(t::stop).awaitUninterruptibly(1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** What the frontend's RTMPT sessions hold in memory for their clients, in bytes. */
    long heldMemory() {
        long sum = 0;
        for (RtmptTunnel t : byId.values()) {
            sum += t.heldMemory();
        }
        return sum;
    }

    RtmptTunnel get(String id) {
        return byId.get(id);
    }

    int size() {
        return byId.size();
    }
}
