package io.rtmprouter.proxy.tunnel;

import io.netty.channel.Channel;
import io.rtmprouter.config.RtmptOptions;
import io.rtmprouter.rtmpt.SessionIds;

import java.net.InetAddress;
import io.rtmprouter.proxy.session.Session;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The RTMPT sessions of one frontend, by id. Requests of a session may come over any TCP
 * connection, so this map is shared by all of the frontend's event loops.
 */
public final class RtmptTunnels {
    /** How long a session lives without a request when the frontend has no `timeout client`. */
    public static final Duration DEFAULT_EXPIRY = Duration.ofSeconds(60);

    private final Map<String, RtmptTunnel> byId = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final SessionIds ids = new SessionIds();
    /** Sessions open per client address; an address with none has no entry. */
    private final Map<InetAddress, Integer> bySource = new ConcurrentHashMap<>();
    private final int maxSessions;
    private final int maxPerSource;
    private final boolean anySource;
    private final Duration expiry;
    private final Consumer<Channel> onOpened;

    /** Why an open was refused. */
    enum Refusal { FRONTEND_FULL, SOURCE_FULL }

    /** What an open brought: a session, or the reason there is none. */
    record Opened(RtmptTunnel tunnel, Refusal refusal) {
        static Opened refused(Refusal why) {
            return new Opened(null, why);
        }
    }

    /**
     * @param onOpened told of every tunnel channel, so that a shutdown reaches tunnelled sessions too
     */
    public RtmptTunnels(int maxSessions, RtmptOptions options, Duration expiry, Consumer<Channel> onOpened) {
        this.maxSessions = maxSessions;
        this.maxPerSource = options.perSource(maxSessions);
        this.anySource = options.anySource();
        this.expiry = expiry;
        this.onOpened = onOpened;
    }

    int maxPerSource() {
        return maxPerSource;
    }

    /**
     * Opens a session for the client behind `carrier` (the connection that brought /open), on
     * that connection's event loop; the refusal when the frontend, or the client's address,
     * already holds its maximum.
     */
    Opened open(Channel carrier, String proto, TunnelStages stages) {
        InetAddress source = addressOf(carrier);
        // Opens come from every event loop: reserve the places first, so the maxima hold.
        if (open.incrementAndGet() > maxSessions) {
            open.decrementAndGet();
            return Opened.refused(Refusal.FRONTEND_FULL);
        }
        if (!reserve(source)) {
            open.decrementAndGet();
            return Opened.refused(Refusal.SOURCE_FULL);
        }
        String id = ids.next();
        Session carried = Session.of(carrier);
        RtmptTunnel tunnel = new RtmptTunnel(id, carried.frontendAddress(), carried.client(), expiry,
                () -> forget(id));
        stages.install(tunnel.channel, proto, id);
        byId.put(id, tunnel);
        onOpened.accept(tunnel.channel);
        carrier.eventLoop().register(tunnel.channel).addListener(f -> {
            if (f.isSuccess()) {
                tunnel.start();
            } else {
                forget(id);
            }
        });
        return new Opened(tunnel, null);
    }

    private void forget(String id) {
        RtmptTunnel t = byId.remove(id);
        if (t != null) {
            open.decrementAndGet();
            bySource.computeIfPresent(addressOf(t.channel), (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    /**
     * Takes a place of `source`'s share, false when it has none left. Counted inside the map's
     * own atomic update: a separate counter could be dropped at zero by one loop just as another
     * counts a new session on it.
     */
    private boolean reserve(InetAddress source) {
        boolean[] taken = {false};
        bySource.compute(source, (a, n) -> {
            int held = n == null ? 0 : n;
            if (held >= maxPerSource) {
                return n;
            }
            taken[0] = true;
            return held + 1;
        });
        return taken[0];
    }

    /** The client of a carrier's or a tunnel's session: the one a PROXY header named, if any. */
    private static InetAddress addressOf(Channel ch) {
        return Session.of(ch).client().getAddress();
    }

    /**
     * The session `id` if a request from `carrier` may use it: a session's requests must come
     * from the address that opened it (its id alone is not a key to it), unless `rtmpt any-source`.
     */
    RtmptTunnel find(String id, Channel carrier) {
        RtmptTunnel t = byId.get(id);
        if (t == null || anySource || addressOf(t.channel).equals(addressOf(carrier))) {
            return t;
        }
        return null;
    }

    public Duration expiry() {
        return expiry;
    }

    /** Ends every tunnel on its own event loop, and waits until they are ended. */
    public void stopAll() {
        for (RtmptTunnel t : byId.values()) {
            if (t.channel.eventLoop().inEventLoop()) {
                t.stop(); // waiting for a task of this very loop would wait for ever
            } else {
                t.channel.eventLoop().submit(t::stop).awaitUninterruptibly(1, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    /** The channel of every open RTMPT session (its Session is on it). */
    public void forEachChannel(java.util.function.Consumer<Channel> action) {
        for (RtmptTunnel t : byId.values()) {
            action.accept(t.channel);
        }
    }

    /** What the frontend's RTMPT sessions hold in memory for their clients, in bytes. */
    public long heldMemory() {
        long sum = 0;
        for (RtmptTunnel t : byId.values()) {
            sum += t.heldMemory();
        }
        return sum;
    }

    public RtmptTunnel get(String id) {
        return byId.get(id);
    }

    public int size() {
        return byId.size();
    }
}
