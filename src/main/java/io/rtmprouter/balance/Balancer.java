package io.rtmprouter.balance;

import java.util.List;

/** Chooses a server for a new, non-sticky client among the servers currently eligible. */
interface Balancer {
    /**
     * @param candidates usable servers of the active set (UP, weight > 0), in configuration order
     * @return the chosen server, or null if every candidate is full
     */
    Server pick(byte[] clientKey, List<Server> candidates);

    /** Whether a full chosen server keeps the client (it queues there) instead of being skipped. */
    default boolean deterministic() {
        return false;
    }
}
