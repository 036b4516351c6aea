package io.rtmprouter.balance;

import io.rtmprouter.config.ServerConfig;

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

    Server(ServerConfig config, String backendName, int index) {
        this.config = config;
        this.backendName = backendName;
        this.index = index;
        this.status = config.disabled() ? Status.MAINT : Status.UP;
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

    public int weight() {
        return config.weight();
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
        return config.maxconn() > 0 && current >= config.maxconn();
    }

    boolean queueHasRoom() {
        return config.maxqueue() == 0 || queue.size() < config.maxqueue();
    }

    void take() {
        current++;
        totalSessions++;
    }

    void release() {
        if (current <= 0) {
            throw new IllegalStateException("release without take on " + qualifiedName());
        }
        current--;
    }

    void setStatus(Status s) {
        status = s;
    }

    @Override
    public String toString() {
        return qualifiedName();
    }
}
