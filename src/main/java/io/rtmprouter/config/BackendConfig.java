package io.rtmprouter.config;

import java.util.List;

/**
 * A pool of servers: `backend`, or the server half of `listen`.
 *
 * @param logging      where the messages about its servers go (its `log` lines)
 * @param contentRules its `tcp-request content` rules, run after the frontend's when a session of
 *                     another proxy is sent here (a listen's own sessions run them once, as frontend rules)
 */
public record BackendConfig(String name, ProxyMode mode, BalanceAlgorithm balance, HashType hashType,
                            StickTableConfig stickTable, List<StickRule> stickRules, SourceConfig source,
                            int retries, boolean redispatch, boolean allBackups, SpliceOptions splice, ConnectionOptions connections,
                            Timeouts timeouts, HealthCheckConfig healthCheck,
                            List<ServerConfig> servers, List<TcpRequestRule> contentRules, LogTarget.Settings logging,
                            SourceLocation where) {
    public BackendConfig {
        contentRules = List.copyOf(contentRules);
        stickRules = List.copyOf(stickRules);
        servers = List.copyOf(servers);
    }
}
