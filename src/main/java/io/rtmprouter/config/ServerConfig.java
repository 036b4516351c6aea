package io.rtmprouter.config;

import java.time.Duration;
import java.util.List;

/**
 * One `server` line. Port 0 means "the port the client connected to", as in HAProxy when the
 * port is omitted. maxconn and maxqueue 0 mean unlimited.
 *
 * @param shutdownSessionsOnDown       `on-marked-down shutdown-sessions`: a health check that takes the
 *                                     server down ends its sessions
 * @param shutdownBackupSessionsOnUp   `on-marked-up shutdown-backup-sessions`: a health check that brings
 *                                     it up ends the sessions of the backend's backup servers
 * @param observe                      `observe layer4`: real connections count towards its health
 * @param errorLimit                   `error-limit`: consecutive failed connections before `on-error` acts
 * @param onError                      `on-error`: what those errors do
 * @param sendProxy                    `send-proxy` / `send-proxy-v2`: the PROXY header each connection
 *                                     starts with; null for none
 * @param checkSendProxy               whether health checks start with a PROXY header too: `check-send-proxy`,
 *                                     or `send-proxy` without a check `port`, as in HAProxy
 * @param initAddr                     `init-addr`: `last` (a state file rtmp-router never has), `libc` (resolve
 *                                     the name), `none` (start in maintenance), or an address, tried in order
 * @param slowstart                    how long a server that comes back up takes to reach its full weight
 *                                     and maxconn; zero for at once
 * @param agent                        `agent-check`: the server's agent and how to ask it; null for none
 * @param checkAddress                 `addr`: the address its health checks go to; null for the server's
 * @param resolution                   with `resolvers`, the DNS resolution that keeps following its name
 */
public record ServerConfig(String name, String host, int port, boolean check, int checkPort,
                           Duration inter, Duration fastinter, Duration downinter, int rise, int fall,
                           int weight, int maxconn, int maxqueue, boolean backup, boolean disabled,
                           boolean shutdownSessionsOnDown, boolean shutdownBackupSessionsOnUp,
                           boolean observe, int errorLimit, OnError onError, ProxyHeader sendProxy,
                           boolean checkSendProxy, List<String> initAddr, Duration slowstart, AgentCheck agent,
                           String checkAddress, DnsResolution resolution, SourceLocation where) {
    /** HAProxy's `on-error` actions, once `error-limit` consecutive connections failed. */
    public enum OnError {
        /** Check again soon, at `fastinter` (the default). */
        FASTINTER,
        /** Count one failed check. */
        FAIL_CHECK,
        /** Leave one check between it and DOWN, then count one failed check. */
        SUDDEN_DEATH,
        /** Mark it DOWN at once. */
        MARK_DOWN
    }
}
