package io.rtmprouter.balance;

import java.util.List;

/**
 * `balance leastconn`: the server with the fewest connections per unit of weight (queued ones
 * count), round robin among equals so that idle servers share new clients evenly.
 */
final class LeastConnections implements Balancer {
    private int nextStart;

    @Override
    public Server pick(byte[] clientKey, List<Server> candidates) {
        int n = candidates.size();
        Server best = null;
        int bestIndex = -1;
        for (int k = 0; k < n; k++) {
            int i = (nextStart + k) % n;
            Server s = candidates.get(i);
            if (s.isFull()) {
                continue;
            }
            if (best == null || load(s) * best.balancedWeight() < load(best) * s.balancedWeight()) {
                best = s;
                bestIndex = i;
            }
        }
        if (best != null) {
            nextStart = bestIndex + 1;
        }
        return best;
    }

    private static long load(Server s) {
        return (long) s.currentConnections() + s.queued();
    }
}
