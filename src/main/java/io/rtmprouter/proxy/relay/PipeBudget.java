package io.rtmprouter.proxy.relay;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * HAProxy's `maxpipes`: how many kernel pipes the spliced directions of all sessions may hold at
 * once (two descriptors each). A direction that finds none left is relayed through the pipeline,
 * as HAProxy falls back to copying; it may still get one later, when others have been given back.
 */
public final class PipeBudget {
    private final int max;
    private final AtomicInteger used = new AtomicInteger();

    public PipeBudget(int max) {
        this.max = max;
    }

    boolean tryTake() {
        int n;
        do {
            n = used.get();
            if (n >= max) {
                return false;
            }
        } while (!used.compareAndSet(n, n + 1));
        return true;
    }

    void giveBack(int pipes) {
        used.addAndGet(-pipes);
    }

    int inUse() {
        return used.get();
    }

    public int max() {
        return max;
    }
}
