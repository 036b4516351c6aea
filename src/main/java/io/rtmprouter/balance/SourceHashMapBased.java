package io.rtmprouter.balance;

import java.util.List;

/**
 * `balance source` with `hash-type map-based`: the hash, modulo the total weight of the usable
 * servers, indexes a map where each server owns as many slots as its weight. Any change in the
 * set of usable servers moves most clients, as HAProxy documents.
 */
final class SourceHashMapBased implements Balancer {
    @Override
    public Server pick(byte[] clientKey, List<Server> candidates) {
        long total = 0;
        for (Server s : candidates) {
            total += s.weight();
        }
        if (total == 0) {
            return null;
        }
        long slot = Long.remainderUnsigned(AddressHash.of(clientKey), total);
        for (Server s : candidates) {
            slot -= s.weight();
            if (slot < 0) {
                return s;
            }
        }
        throw new IllegalStateException("weights changed during pick");
    }

    @Override
    public boolean deterministic() {
        return true;
    }
}
