package io.rtmprouter.config;

import java.util.List;

/** A pool of servers: `backend`, or the server half of `listen`. */
public record BackendConfig(String name, ProxyMode mode, BalanceAlgorithm balance, HashType hashType,
                            StickTableConfig stickTable, List<StickRule> stickRules, SourceConfig source,
                            int retries, boolean redispatch, boolean allBackups, SpliceOptions splice, ConnectionOptions connections,
                            Timeouts timeouts, HealthCheckConfig healthCheck,
                            List<ServerConfig> servers, SourceLocation where) {
    public BackendConfig {
        stickRules = List.copyOf(stickRules);
        servers = List.copyOf(servers);
    }
}
