package io.rtmprouter.config;

import java.time.Duration;

/**
 * One `server` line. Port 0 means "the port the client connected to", as in HAProxy when the
 * port is omitted. maxconn and maxqueue 0 mean unlimited.
 */
public record ServerConfig(String name, String host, int port, boolean check, int checkPort,
                           Duration inter, Duration fastinter, Duration downinter, int rise, int fall,
                           int weight, int maxconn, int maxqueue, boolean backup, boolean disabled,
                           SourceLocation where) {
}
