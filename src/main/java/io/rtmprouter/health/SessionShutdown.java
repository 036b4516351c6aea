package io.rtmprouter.health;

import java.util.Set;

/**
 * Ends sessions when a server's health changes, for `on-marked-down shutdown-sessions` and
 * `on-marked-up shutdown-backup-sessions`; the router, which holds the sessions, implements it.
 */
@FunctionalInterface
public interface SessionShutdown {
    /**
     * @param serversDown true: the servers went down (HAProxy's D); false: an active server came up
     *                    and these are the backup servers whose sessions end (U)
     */
    void endSessions(String backend, Set<String> servers, boolean serversDown);

    SessionShutdown NONE = (backend, servers, down) -> { };
}
