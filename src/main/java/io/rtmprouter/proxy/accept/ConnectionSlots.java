package io.rtmprouter.proxy.accept;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A `maxconn` budget (a frontend's, or the process-wide one). Listeners that paused accepting
 * because it ran out are told when a connection gives its slot back.
 */
public final class ConnectionSlots {
    private final String name;
    private final int max;
    private final AtomicInteger used = new AtomicInteger();
    private final List<Runnable> onRelease = new CopyOnWriteArrayList<>();

    public ConnectionSlots(String name, int max) {
        if (max <= 0) {
            throw new IllegalArgumentException("maxconn of " + name + " must be positive: " + max);
        }
        this.name = name;
        this.max = max;
    }

    boolean tryAcquire() {
        while (true) {
            int n = used.get();
            if (n >= max) {
                return false;
            }
            if (used.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (used.decrementAndGet() < 0) {
            throw new IllegalStateException("slot of " + name + " released twice");
        }
        for (Runnable r : onRelease) {
            r.run();
        }
    }

    void onRelease(Runnable r) {
        onRelease.add(r);
    }

    boolean hasRoom() {
        return used.get() < max;
    }

    public int used() {
        return used.get();
    }

    int max() {
        return max;
    }
}
