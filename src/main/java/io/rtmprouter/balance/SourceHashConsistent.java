package io.rtmprouter.balance;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * `balance source` with `hash-type consistent`: each server places weight x 16 points on a ring
 * (HAProxy's scale); a client goes to the first point at or after its hash. When a server leaves,
 * only its own clients move; when it comes back, only they return.
 */
final class SourceHashConsistent implements Balancer {
    static final int POINTS_PER_WEIGHT = 16;
    private TreeMap<Long, Server> ring = new TreeMap<>();
    private List<Server> ringMembers = List.of();

    @Override
    public Server pick(byte[] clientKey, List<Server> candidates) {
        if (!candidates.equals(ringMembers)) {
            rebuild(candidates);
        }
        if (ring.isEmpty()) {
            return null;
        }
        Map.Entry<Long, Server> e = ring.ceilingEntry(AddressHash.of(clientKey));
        return (e != null ? e : ring.firstEntry()).getValue();
    }

    private void rebuild(List<Server> candidates) {
        TreeMap<Long, Server> r = new TreeMap<>();
        for (Server s : candidates) {
            // Points depend on the server's name only, so a server finds its old place again.
            long seed = AddressHash.of(s.name().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (int i = 0; i < s.weight() * POINTS_PER_WEIGHT; i++) {
                r.putIfAbsent(AddressHash.mix(seed + i * 0x9e3779b97f4a7c15L), s);
            }
        }
        ring = r;
        ringMembers = List.copyOf(candidates);
    }

    @Override
    public boolean deterministic() {
        return true;
    }
}
