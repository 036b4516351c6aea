package io.rtmprouter.balance;

import java.util.List;

/**
 * `balance first`: the first server, in configuration order, with a free connection slot; the
 * next one once it reaches its maxconn. Weights play no part, as in HAProxy.
 */
final class FirstAvailable implements Balancer {
    @Override
    public Server pick(byte[] clientKey, List<Server> candidates) {
        for (Server s : candidates) {
            if (!s.isFull()) {
                return s;
            }
        }
        return null;
    }
}
