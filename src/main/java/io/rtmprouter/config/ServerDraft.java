package io.rtmprouter.config;

import java.time.Duration;
import java.util.List;

/** The parameters of a `server` or `default-server` line while they are being read. */
final class ServerDraft {
    boolean check;
    int checkPort;
    Duration inter = Duration.ofSeconds(2);
    Duration fastinter;
    Duration downinter;
    int rise = 2;
    int fall = 3;
    int weight = 1;
    int maxconn;
    int maxqueue;
    boolean backup;
    boolean disabled;
    boolean shutdownSessionsOnDown;
    boolean shutdownBackupSessionsOnUp;
    boolean observe;
    int errorLimit = 10;
    ServerConfig.OnError onError = ServerConfig.OnError.FASTINTER;
    ProxyHeader sendProxy;
    boolean checkSendProxy;
    /** `addr`: where the health checks (and the agent, without agent-addr) go instead of the server's address. */
    String checkAddr;
    boolean agentCheck;
    int agentPort;
    Duration agentInter;
    String agentAddr;
    String agentSend;
    /** `slowstart`: the ramp of a server that comes back up; zero: none. */
    Duration slowstart = Duration.ZERO;
    /** `init-addr`: how the address is found at start-up, in order; null: HAProxy's default. */
    List<String> initAddr;
    /** `resolvers`: the section that keeps the address following the name; null for none. */
    String resolvers;
    /** `resolve-prefer`: HAProxy prefers IPv6 unless told otherwise. */
    boolean preferIpv6 = true;
    List<Network> preferredNets = List.of();
    boolean allowDuplicateIp;
    /** Where an `id` was given: harmless, except that `balance first` would order servers by it. */
    SourceLocation idWhere;

    ServerDraft copy() {
        ServerDraft c = new ServerDraft();
        c.check = check;
        c.checkPort = checkPort;
        c.inter = inter;
        c.fastinter = fastinter;
        c.downinter = downinter;
        c.rise = rise;
        c.fall = fall;
        c.weight = weight;
        c.maxconn = maxconn;
        c.maxqueue = maxqueue;
        c.backup = backup;
        c.disabled = disabled;
        c.shutdownSessionsOnDown = shutdownSessionsOnDown;
        c.shutdownBackupSessionsOnUp = shutdownBackupSessionsOnUp;
        c.observe = observe;
        c.errorLimit = errorLimit;
        c.onError = onError;
        c.sendProxy = sendProxy;
        c.initAddr = initAddr;
        c.slowstart = slowstart;
        c.agentCheck = agentCheck;
        c.checkAddr = checkAddr;
        c.agentPort = agentPort;
        c.agentInter = agentInter;
        c.agentAddr = agentAddr;
        c.agentSend = agentSend;
        c.checkSendProxy = checkSendProxy;
        c.idWhere = idWhere;
        c.resolvers = resolvers;
        c.preferIpv6 = preferIpv6;
        c.preferredNets = preferredNets;
        c.allowDuplicateIp = allowDuplicateIp;
        return c;
    }

    ServerConfig build(String name, String host, int port, SourceLocation where) {
        // HAProxy: fastinter and downinter default to inter.
        return new ServerConfig(name, host, port, check, checkPort, inter,
                fastinter != null ? fastinter : inter, downinter != null ? downinter : inter,
                rise, fall, weight, maxconn, maxqueue, backup, disabled, shutdownSessionsOnDown,
                shutdownBackupSessionsOnUp, observe, errorLimit, onError, sendProxy,
                // HAProxy: with its own port or addr, a check sends a PROXY header only with check-send-proxy.
                checkSendProxy || (sendProxy != null && checkPort == 0 && checkAddr == null), initAddr != null ? initAddr
                        // HAProxy's default; with resolvers, a name that does not resolve yet is no error.
                        : resolvers != null ? List.of("last", "libc", "none") : List.of("last", "libc"), slowstart,
                agentCheck ? new AgentCheck(agentPort, agentInter != null ? agentInter : inter,
                        agentAddr, agentSend) : null, checkAddr,
                new DnsResolution(resolvers, preferIpv6, preferredNets, allowDuplicateIp), where);
    }
}
