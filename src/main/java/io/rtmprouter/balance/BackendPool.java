package io.rtmprouter.balance;

import io.rtmprouter.config.BackendConfig;
import io.rtmprouter.config.ServerConfig;
import io.rtmprouter.config.StickRule;
import io.rtmprouter.stats.CheckCounters;
import io.rtmprouter.stats.TrafficCounters;
import io.rtmprouter.stick.MonotonicClock;
import io.rtmprouter.stick.StickKeys;
import io.rtmprouter.stick.StickTable;
import io.rtmprouter.stick.StickTables;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The servers of one backend and every decision about them: stickiness, balancing, server
 * slots (maxconn) and the queues of clients waiting for one. One lock guards it, held only for
 * those decisions; waiters are told of their slot after it is released.
 */
public final class BackendPool {
    /** Told, once and outside the pool's lock, that a slot on this server was taken for it. */
    @FunctionalInterface
    public interface Waiter {
        void granted(Server server);
    }

    /** The outcome of asking for a server. */
    public sealed interface Assignment permits Assigned, Queued, Rejected {
    }

    /** A slot on this server is held for the caller, who must {@link #release} it. */
    public record Assigned(Server server) implements Assignment {
    }

    /** The caller waits; the Waiter is called when a slot is taken for it, unless it {@link #cancel}s. */
    public record Queued(Ticket ticket) implements Assignment {
    }

    /** No server can take this client. */
    public record Rejected(String reason) implements Assignment {
    }

    /** A place in a queue. */
    public static final class Ticket {
        private final QueuedRequest request;

        private Ticket(QueuedRequest request) {
            this.request = request;
        }
    }

    private final BackendConfig config;
    private final List<Server> servers;
    private final Balancer balancer;
    private final List<StickRule> stickRules;
    private final StickTables tables;
    private final Deque<QueuedRequest> backendQueue = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private long sequence;
    /** The backend's own `show stat` columns (its BACKEND row). */
    private final TrafficCounters traffic;
    private final CheckCounters checks;

    /** The pools of every backend, by name in configuration order; a stick rule may name any proxy's table. */
    public static Map<String, BackendPool> of(Collection<BackendConfig> backends, StickTables tables) {
        return of(backends, tables, MonotonicClock.SYSTEM);
    }

    /** @param clock what slowstarts are timed by */
    public static Map<String, BackendPool> of(Collection<BackendConfig> backends, StickTables tables,
                                              MonotonicClock clock) {
        Map<String, BackendPool> pools = new LinkedHashMap<>();
        for (BackendConfig b : backends) {
            pools.put(b.name(), new BackendPool(b, tables, clock));
        }
        return pools;
    }

    /**
     * @param tables every proxy's stick table, for the rules
     */
    public BackendPool(BackendConfig config, StickTables tables) {
        this(config, tables, MonotonicClock.SYSTEM);
    }

    public BackendPool(BackendConfig config, StickTables tables, MonotonicClock clock) {
        this.config = config;
        this.traffic = new TrafficCounters(clock);
        this.checks = new CheckCounters(clock);
        List<Server> list = new ArrayList<>();
        for (ServerConfig sc : config.servers()) {
            list.add(new Server(sc, config.name(), list.size(), clock));
        }
        this.servers = Collections.unmodifiableList(list);
        this.balancer = switch (config.balance()) {
            case ROUNDROBIN -> new RoundRobin();
            case LEASTCONN -> new LeastConnections();
            case FIRST -> new FirstAvailable();
            case SOURCE -> switch (config.hashType()) {
                case MAP_BASED -> new SourceHashMapBased();
                case CONSISTENT -> new SourceHashConsistent();
            };
        };
        this.stickRules = config.stickRules();
        this.tables = tables;
    }

    public BackendConfig config() {
        return config;
    }

    public TrafficCounters traffic() {
        return traffic;
    }

    /** Where the messages about its servers go besides the log: its `log` targets, as HAProxy sends them. */
    public interface Announcer {
        /** @param severity syslog's: 0 emerg, 1 alert, 5 notice */
        void announce(int severity, String message);
    }

    private volatile Announcer announcer = (severity, message) -> { };

    /** Set once at start-up when the backend has `log` targets. */
    public void announceTo(Announcer a) {
        announcer = a;
    }

    /** A message about one of its servers (UP, DOWN, maintenance, a new address), at HAProxy's severity. */
    public void announce(int severity, String message) {
        announcer.announce(severity, message);
    }

    /** The backend's state changes: DOWN while none of its servers is UP (HAProxy's BACKEND row). */
    public CheckCounters checks() {
        return checks;
    }

    public String name() {
        return config.name();
    }

    public List<Server> servers() {
        return servers;
    }

    public int queuedInBackend() {
        lock.lock();
        try {
            return backendQueue.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Asks for a server for this client; `exclude` (nullable) is a server that just failed it,
     * avoided when another can serve (HAProxy's srvtoavoid: with one server left, it is tried again).
     */
    public Assignment assign(InetAddress client, Waiter waiter, Server exclude) {
        lock.lock();
        try {
            if (exclude == null) {
                Assignment sticky = stickyAssignment(client, waiter);
                if (sticky != null) {
                    return sticky;
                }
            }
            List<Server> candidates = activeSet(exclude);
            if (candidates.isEmpty() && exclude != null) {
                candidates = activeSet(null);
            }
            if (candidates.isEmpty()) {
                return new Rejected("no server available");
            }
            Server chosen = balancer.pick(AddressKey.of(client), candidates);
            if (chosen != null) {
                // HAProxy's lbtot: the balancer picked it, whether it had room or not.
                chosen.traffic().balancedPick();
                traffic.balancedPick();
            }
            if (chosen != null && !chosen.isFull()) {
                chosen.take();
                return new Assigned(chosen);
            }
            if (chosen != null) {
                // A hash chose a full server: the client waits for that server, as in HAProxy.
                if (!chosen.queueHasRoom()) {
                    return new Rejected("queue of " + chosen.qualifiedName() + " is full");
                }
                return new Queued(enqueue(chosen.queue, chosen, waiter));
            }
            return new Queued(enqueue(backendQueue, null, waiter));
        } finally {
            lock.unlock();
        }
    }

    private Assignment stickyAssignment(InetAddress client, Waiter waiter) {
        for (StickRule rule : stickRules) {
            if (!rule.kind().matches()) {
                continue;
            }
            StickTable table = tables.get(rule.table());
            byte[] key = StickKeys.of(client, table.config().type());
            String name = key == null ? null : table.match(key);
            Server s = name == null ? null : byName(name);
            if (s == null || !s.isUp()) {
                // An entry for a server that is gone or DOWN is not used: the client is balanced.
                continue;
            }
            if (!s.isFull()) {
                s.take();
                return new Assigned(s);
            }
            if (s.queueHasRoom()) {
                return new Queued(enqueue(s.queue, s, waiter));
            }
            // maxqueue reached: HAProxy redispatches such a client to the other servers.
            return null;
        }
        return null;
    }

    private Ticket enqueue(Deque<QueuedRequest> queue, Server on, Waiter waiter) {
        QueuedRequest r = new QueuedRequest(waiter, sequence++);
        r.queuedOn = on;
        queue.addLast(r);
        (on == null ? traffic : on.traffic()).queueLength(queue.size());
        return new Ticket(r);
    }

    /** Records that this client is now served by this server, in every table a rule stores into. */
    public void stickStore(InetAddress client, Server server) {
        for (StickRule rule : stickRules) {
            if (rule.kind().stores()) {
                StickTable table = tables.get(rule.table());
                byte[] key = StickKeys.of(client, table.config().type());
                if (key != null) {
                    table.store(key, server.name());
                }
            }
        }
    }

    /** Leaves the queue. False means a slot was already taken for this ticket: release it when told. */
    public boolean cancel(Ticket ticket) {
        lock.lock();
        try {
            QueuedRequest r = ticket.request;
            Deque<QueuedRequest> queue = r.queuedOn == null ? backendQueue : r.queuedOn.queue;
            return queue.remove(r);
        } finally {
            lock.unlock();
        }
    }

    /** Gives back a slot taken by {@link #assign} or granted to a Waiter. */
    public void release(Server server) {
        List<Grant> grants = new ArrayList<>();
        lock.lock();
        try {
            server.release();
            serveQueues(server, grants);
        } finally {
            lock.unlock();
        }
        deliver(grants);
    }

    /**
     * Applies a health or administrative state change and moves queued clients accordingly.
     *
     * @return the clients it moved, as HAProxy counts them in its message: going down, those of the
     * server's queue sent back to the backend's ("requeued"); coming up, those it took from the queues
     */
    /**
     * A slowstart step: the warming server's maxconn has grown, so waiting clients may get its new
     * slots, as HAProxy's warm-up task grabs them. Returns whether it is still warming.
     */
    public boolean rampStep(Server server) {
        List<Grant> grants = new ArrayList<>();
        boolean warming;
        lock.lock();
        try {
            warming = server.warming();
            serveQueues(server, grants);
        } finally {
            lock.unlock();
        }
        deliver(grants);
        return warming;
    }

    /** Its agent's `drain` (true) or `ready`: a draining server takes no new balanced clients. */
    public void setDraining(Server server, boolean draining) {
        lock.lock();
        try {
            server.setDraining(draining);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Resolution maintenance (HAProxy's RMAINT), on or off. Leaving it while no forced maintenance
     * holds brings the server UP at once, as HAProxy does (its checks restart from `rise`, and its
     * checker is told to check at once).
     *
     * @return the queued clients the change moved, or -1 when the server's status did not change
     */
    public int setUnresolved(Server server, boolean unresolved) {
        lock.lock();
        try {
            if (server.unresolved() == unresolved) {
                return -1;
            }
            server.unresolved(unresolved);
        } finally {
            lock.unlock();
        }
        if (unresolved) {
            return server.status() == Server.Status.MAINT ? -1 : setStatus(server, Server.Status.MAINT);
        }
        if (server.forcedMaintenance() || server.status() != Server.Status.MAINT) {
            return -1;
        }
        int moved = setStatus(server, Server.Status.UP);
        server.backFromMaintenance();
        return moved;
    }

    /** Forced maintenance (`disabled`, its agent's `maint`), on or off: the status itself is set by the caller. */
    public void setForcedMaintenance(Server server, boolean on) {
        lock.lock();
        try {
            server.forcedMaintenance(on);
        } finally {
            lock.unlock();
        }
    }

    public int setStatus(Server server, Server.Status status) {
        List<Grant> grants = new ArrayList<>();
        int moved = 0;
        lock.lock();
        try {
            boolean wasDown = noneUp();
            server.setStatus(status);
            boolean down = noneUp();
            if (wasDown != down) {
                checks.changed(wasDown, down);
            }
            if (status != Server.Status.UP) {
                // Its waiters go back to the backend queue, in their order of arrival.
                List<QueuedRequest> merged = new ArrayList<>(backendQueue);
                for (QueuedRequest r : server.queue) {
                    r.queuedOn = null;
                    merged.add(r);
                }
                moved = server.queue.size();
                server.queue.clear();
                merged.sort((a, b) -> Long.compare(a.sequence, b.sequence));
                backendQueue.clear();
                backendQueue.addAll(merged);
            }
            for (Server s : servers) {
                serveQueues(s, grants);
            }
            if (status == Server.Status.UP) {
                moved = (int) grants.stream().filter(g -> g.server() == server).count();
            }
        } finally {
            lock.unlock();
        }
        deliver(grants);
        return moved;
    }

    private boolean noneUp() {
        int[] up = upCounts();
        return up[0] + up[1] == 0;
    }

    /** Number of servers, normal and backup, that are UP. */
    public int[] upCounts() {
        int active = 0;
        int backup = 0;
        for (Server s : servers) {
            // A draining server is up but counted out, as HAProxy's "N active ... servers online".
            if (s.isUp() && !s.draining()) {
                if (s.isBackup()) {
                    backup++;
                } else {
                    active++;
                }
            }
        }
        return new int[] {active, backup};
    }

    private record Grant(QueuedRequest request, Server server) {
    }

    /** While this server has free slots, the oldest of its own queue and the backend's goes first. */
    private void serveQueues(Server s, List<Grant> grants) {
        boolean balancedPicksAllowed = activeSet(null).contains(s);
        while (s.isUp() && !s.isFull()) {
            QueuedRequest own = s.queue.peekFirst();
            QueuedRequest shared = balancedPicksAllowed ? backendQueue.peekFirst() : null;
            QueuedRequest next;
            if (own != null && (shared == null || own.sequence < shared.sequence)) {
                next = s.queue.pollFirst();
            } else if (shared != null) {
                next = backendQueue.pollFirst();
            } else {
                break;
            }
            s.take();
            grants.add(new Grant(next, s));
        }
    }

    private static void deliver(List<Grant> grants) {
        for (Grant g : grants) {
            g.request().waiter.granted(g.server());
        }
    }

    /**
     * Servers that take balanced picks: UP normal servers of non-zero weight; when there are
     * none, the first such backup server, or every one with `option allbackups`.
     */
    private List<Server> activeSet(Server exclude) {
        List<Server> active = new ArrayList<>();
        for (Server s : servers) {
            if (!s.isBackup() && s.isUp() && s.weight() > 0 && !s.draining() && s != exclude) {
                active.add(s);
            }
        }
        if (!active.isEmpty()) {
            return active;
        }
        for (Server s : servers) {
            if (s.isBackup() && s.isUp() && s.weight() > 0 && !s.draining() && s != exclude) {
                active.add(s);
                if (!config.allBackups()) {
                    break;
                }
            }
        }
        return active;
    }

    /** The server of that name, or null. */
    public Server byName(String name) {
        for (Server s : servers) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }
}
