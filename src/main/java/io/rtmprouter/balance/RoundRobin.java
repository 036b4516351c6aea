package io.rtmprouter.balance;

import java.util.List;

/**
 * Smooth weighted round robin: every pick, each eligible server gains its weight, the richest
 * is chosen and pays the total. Weights 10/10/8 give exactly 10/10/8 of every 28 picks,
 * interleaved, never in bursts. Ties go to the heavier server, then the one declared first.
 * Full servers sit the round out, as HAProxy skips a server at its maxconn.
 */
final class RoundRobin implements Balancer {
    @Override
    public Server pick(byte[] clientKey, List<Server> candidates) {
        long total = 0;
        Server best = null;
        for (Server s : candidates) {
            if (s.isFull()) {
                continue;
            }
            long w = s.balancedWeight();
            s.rrCurrent += w;
            total += w;
            if (best == null || s.rrCurrent > best.rrCurrent
                    || s.rrCurrent == best.rrCurrent && w > best.balancedWeight()) {
                best = s;
            }
        }
        if (best != null) {
            best.rrCurrent -= total;
        }
        return best;
    }
}
