package io.rtmprouter.config;

import java.util.List;

/** A proxy that accepts clients: `frontend`, or the listening half of `listen`. */
public record FrontendConfig(String name, List<BindConfig> binds, ProxyMode mode, int maxconn,
                             String defaultBackend, Timeouts timeouts, SpliceOptions splice, SourceLocation where) {
    public FrontendConfig {
        binds = List.copyOf(binds);
    }
}
