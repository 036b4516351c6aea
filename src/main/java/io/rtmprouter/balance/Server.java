package io.rtmprouter.balance;

import io.rtmprouter.config.ServerConfig;
import io.rtmprouter.stats.CheckCounters;
import io.rtmprouter.stats.TrafficCounters;
import io.rtmprouter.stick.MonotonicClock;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The live state of one server of a backend. Mutated only under its {@link BackendPool}'s lock;
 * the volatile fields are read without it for logs and health checks.
 */
public final class Server {
    public enum Status { UP, DOWN, MAINT }

    private final ServerConfig config;
    private final String backendName;
    final int index;
    final Deque<QueuedRequest> queue = new ArrayDeque<>();
    private volatile Status status;
    private volatile int current;
    private volatile long totalSessions;
    /** Smooth weighted round-robin state (see {@link RoundRobin}). */
    long rrCurrent;
    /** HAProxy's BE_WEIGHT_SCALE: a weight is counted in sixteenths, so that a slowstart ramp has steps. */
    static final int WEIGHT_SCALE = 16;
    private final MonotonicClock clock;
    /** When it came back up with a `slowstart` still to run; -1: at full speed. */
    private volatile long warmingSince = -1;
    /** What its agent said: a weight in percent of the configured one, a maxconn (-1: the configured), drain. */
    private volatile int agentWeightPercent = 100;
    private volatile int agentMaxconn = -1;
    private volatile boolean draining;
    /** Where it is now: set at start-up, then by its DNS resolution (`resolvers`); null: no address. */
    private volatile InetSocketAddress address;
    /**
     * HAProxy's two maintenance causes besides its health: forced (`disabled`, its agent's `maint`)
     * and resolution (no address: `init-addr none`, or a name that stopped resolving). It is in
     * maintenance while either holds.
     */
    private volatile boolean forcedMaintenance;
    private volatile boolean unresolved;
    private volatile Runnable backFromMaintenance;

    Server(ServerConfig config, String backendName, int index) {
        this(config, backendName, index, MonotonicClock.SYSTEM);
    }

    /** `show stat`'s columns for it: traffic, and its health. */
    private final TrafficCounters traffic;
    private final CheckCounters checks;

    Server(ServerConfig config, String backendName, int index, MonotonicClock clock) {
        this.traffic = new TrafficCounters(clock);
        this.checks = new CheckCounters(clock);
        this.config = config;
        this.backendName = backendName;
        this.index = index;
        this.clock = clock;
        this.status = config.disabled() ? Status.MAINT : Status.UP;
        this.forcedMaintenance = config.disabled();
    }

    public TrafficCounters traffic() {
        return traffic;
    }

    public CheckCounters checks() {
        return checks;
    }

    /** Its address now, port 0 meaning the client's destination port; null while it has none. */
    public InetSocketAddress address() {
        return address;
    }

    /** Set at start-up and by its resolution, which owns it from then on. */
    public void address(InetSocketAddress a) {
        address = a;
    }

    /** In maintenance because it is `disabled` or its agent said `maint`. */
    public boolean forcedMaintenance() {
        return forcedMaintenance;
    }

    void forcedMaintenance(boolean on) {
        forcedMaintenance = on;
    }

    /** In maintenance for want of an address (HAProxy's RMAINT). */
    public boolean unresolved() {
        return unresolved;
    }

    void unresolved(boolean on) {
        unresolved = on;
    }

    /** Set by its health checker: told when the server leaves maintenance, so that it checks again at once. */
    public void whenBackFromMaintenance(Runnable r) {
        backFromMaintenance = r;
    }

    void backFromMaintenance() {
        Runnable r = backFromMaintenance;
        if (r != null) {
            r.run();
        }
    }

    /** What its real connections did, for `observe layer4`: told to its health checker. */
    public interface TrafficObserver {
        void connected();

        /** @param sessionsNow the server's sessions as it failed, the failing one included (HAProxy's count) */
        void failed(int sessionsNow);
    }

    private volatile TrafficObserver observer;

    /** Set by the server's health checker when the server has `observe layer4`. */
    public void observe(TrafficObserver o) {
        this.observer = o;
    }

    /** A client's connection to this server was made. */
    public void trafficConnected() {
        TrafficObserver o = observer;
        if (o != null) {
            o.connected();
        }
    }

    /** A client's connection to this server failed (refused, reset or timed out). */
    public void trafficFailed() {
        TrafficObserver o = observer;
        if (o != null) {
            o.failed(currentConnections());
        }
    }

    public ServerConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    /** "backend/server", as HAProxy names servers in its messages. */
    public String qualifiedName() {
        return backendName + "/" + config.name();
    }

    public Status status() {
        return status;
    }

    public boolean isUp() {
        return status == Status.UP;
    }

    /** Its weight now: the configured one, as a percentage set by its agent changes it (HAProxy's uweight). */
    public int weight() {
        return Math.min(256, config.weight() * agentWeightPercent / 100);
    }

    /** Whether its agent put it in drain: it takes no new balanced clients, its sticky ones still come. */
    public boolean draining() {
        return draining;
    }

    void setDraining(boolean d) {
        draining = d;
    }

    /** `N%` from its agent. */
    public void agentWeight(int percent) {
        agentWeightPercent = Math.max(0, percent);
    }

    /** `maxconn:N` from its agent. */
    public void agentMaxconn(int maxconn) {
        agentMaxconn = Math.max(0, maxconn);
    }

    /** Its maxconn before any slowstart: the configured one, or its agent's. */
    int maxconn() {
        int a = agentMaxconn;
        return a >= 0 ? a : config.maxconn();
    }

    /**
     * Its weight for the dynamic balancers (roundrobin, leastconn), in sixteenths: during a
     * slowstart, HAProxy's ramp from 1/16 of the weight to all of it, recomputed every
     * second on whole seconds as HAProxy's warm-up task does (see {@link #rampStepMillis}).
     */
    long balancedWeight() {
        long ramp = WEIGHT_SCALE;
        long since = warmingSince;
        if (since >= 0) {
            long slow = slowstartSeconds();
            long step = rampStepMillis() * 1_000_000L;
            long elapsed = (clock.nanoTime() - since) / step * step / 1_000_000_000L;
            if (elapsed >= slow) {
                warmingSince = -1;
            } else {
                ramp = (WEIGHT_SCALE * elapsed + slow) / slow;
            }
        }
        return (long) weight() * ramp;
    }

    /** Whether a slowstart is still running: a warm-up step may let its queue in. */
    public boolean warming() {
        long since = warmingSince;
        if (since >= 0 && (clock.nanoTime() - since) / 1_000_000_000L >= slowstartSeconds()) {
            warmingSince = -1;
        }
        return warmingSince >= 0;
    }

    /**
     * How often HAProxy's warm-up task runs: its code says max(1000, slowstart / 20) ms, with the
     * slowstart kept in seconds, so in practice every second (5 % steps only past 20,000 s).
     */
    public long rampStepMillis() {
        return Math.max(1000, slowstartSeconds() / 20);
    }

    /** HAProxy keeps the slowstart in whole seconds, rounded up. */
    private long slowstartSeconds() {
        return Math.max(1, (config.slowstart().toMillis() + 999) / 1000);
    }

    /** Its maxconn now: during a slowstart, HAProxy's max(1, maxconn x elapsed/slowstart), in whole seconds. */
    /** Its maxconn at this moment of its slowstart, for `show stat`'s throttle. */
    public int effectiveMaxconnNow() {
        return effectiveMaxconn();
    }

    int effectiveMaxconn() {
        long since = warmingSince;
        int max = maxconn();
        if (since < 0 || max == 0) {
            return max;
        }
        long elapsed = (clock.nanoTime() - since) / 1_000_000_000L;
        long slow = slowstartSeconds();
        if (elapsed >= slow) {
            return max;
        }
        return (int) Math.max(1, (long) max * (100 * elapsed / slow) / 100);
    }

    public boolean isBackup() {
        return config.backup();
    }

    /** Connections this server holds for us right now (HAProxy's scur). */
    public int currentConnections() {
        return current;
    }

    public int queued() {
        return queue.size();
    }

    public long totalSessions() {
        return totalSessions;
    }

    boolean isFull() {
        return maxconn() > 0 && current >= effectiveMaxconn();
    }

    boolean queueHasRoom() {
        return config.maxqueue() == 0 || queue.size() < config.maxqueue();
    }

    void take() {
        current++;
        totalSessions++;
        traffic.sessionStarted();
    }

    void release() {
        if (current <= 0) {
            throw new IllegalStateException("release without take on " + qualifiedName());
        }
        current--;
        traffic.sessionLeft();
    }

    void setStatus(Status s) {
        if (s != status) {
            checks.changed(status != Status.UP, s != Status.UP);
        }
        if (s == Status.UP && status != Status.UP && !config.slowstart().isZero()) {
            // HAProxy: a server seen as failed (or in maintenance) comes back slowly; never at start-up.
            warmingSince = clock.nanoTime();
        } else if (s != Status.UP) {
            warmingSince = -1;
        }
        status = s;
    }

    @Override
    public String toString() {
        return qualifiedName();
    }
}
