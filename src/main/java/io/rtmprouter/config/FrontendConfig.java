package io.rtmprouter.config;

import java.util.List;

/**
 * A proxy that accepts clients: `frontend`, or the listening half of `listen`.
 *
 * @param logging where its session lines go besides stdout (`log`, `option tcplog`, ...)
 */
public record FrontendConfig(String name, List<BindConfig> binds, ProxyMode mode, int maxconn,
                             RoutingConfig routing, Timeouts timeouts, SpliceOptions splice, RtmptOptions rtmpt, ConnectionOptions connections,
                             LogTarget.Settings logging, SourceLocation where) {
    public FrontendConfig {
        binds = List.copyOf(binds);
    }

    public String defaultBackend() {
        return routing.defaultBackend();
    }

    /** How long the frontend waits for what its rules inspect; zero when nothing is inspected. */
    public java.time.Duration inspectDelay() {
        if (mode != ProxyMode.RTMP) {
            return java.time.Duration.ZERO;
        }
        return routing.inspectDelay() != null ? routing.inspectDelay() : RoutingConfig.DEFAULT_RTMP_INSPECT_DELAY;
    }
}
