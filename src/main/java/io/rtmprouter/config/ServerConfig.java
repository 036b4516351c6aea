package io.rtmprouter.config;

import java.time.Duration;

/**
 * One `server` line. Port 0 means "the port the client connected to", as in HAProxy when the
 * port is omitted. maxconn and maxqueue 0 mean unlimited.
 *
 * @param shutdownSessionsOnDown       `on-marked-down shutdown-sessions`: a health check that takes the
 *                                     server down ends its sessions
 * @param shutdownBackupSessionsOnUp   `on-marked-up shutdown-backup-sessions`: a health check that brings
 *                                     it up ends the sessions of the backend's backup servers
 */
public record ServerConfig(String name, String host, int port, boolean check, int checkPort,
                           Duration inter, Duration fastinter, Duration downinter, int rise, int fall,
                           int weight, int maxconn, int maxqueue, boolean backup, boolean disabled,
                           boolean shutdownSessionsOnDown, boolean shutdownBackupSessionsOnUp,
                           SourceLocation where) {
}
