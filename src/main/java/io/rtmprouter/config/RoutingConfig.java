package io.rtmprouter.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a frontend decides a session's fate: `tcp-request connection` rules on accept (on the
 * connection's own address), `tcp-request session` rules once a PROXY header has named the real
 * client, `tcp-request content` rules once the inspected content is known (bounded by
 * inspect-delay), then `use_backend` rules, first match wins, then `default_backend`.
 */
public record RoutingConfig(Duration inspectDelay, List<TcpRequestRule> connectionRules,
                            List<TcpRequestRule> sessionRules, List<TcpRequestRule> contentRules,
                            List<UseBackendRule> useBackends, String defaultBackend) {
    /** How long a `mode rtmp` frontend waits for the handshake and connect when no inspect-delay is set. */
    public static final Duration DEFAULT_RTMP_INSPECT_DELAY = Duration.ofSeconds(5);

    public RoutingConfig {
        connectionRules = List.copyOf(connectionRules);
        sessionRules = List.copyOf(sessionRules);
        contentRules = List.copyOf(contentRules);
        useBackends = List.copyOf(useBackends);
    }

    public static RoutingConfig defaultOnly(String backend) {
        return new RoutingConfig(null, List.of(), List.of(), List.of(), List.of(), backend);
    }

    /**
     * Runs `tcp-request` rules in order: stick-counter actions as they apply, up to the first
     * accept or reject that does. Returns that reject, if it is one.
     */
    public static Optional<TcpRequestRule> rejecting(List<TcpRequestRule> rules, RuleTarget session) {
        for (TcpRequestRule r : rules) {
            if (!r.applies(session)) {
                continue;
            }
            switch (r.action()) {
                case ACCEPT -> {
                    return Optional.empty();
                }
                case REJECT -> {
                    return Optional.of(r);
                }
                case TRACK -> session.track(r.counter(), r.table());
                case INC_GPC0 -> session.incrementGpc(r.counter(), 0);
                case INC_GPC1 -> session.incrementGpc(r.counter(), 1);
                case SET_GPT0 -> session.setGpt0(r.counter(), r.value());
                case EXPECT_PROXY -> session.expectProxyHeader();
            }
        }
        return Optional.empty();
    }

    public String backendFor(FetchedValues values) {
        for (UseBackendRule r : useBackends) {
            if (r.applies(values)) {
                return r.backend();
            }
        }
        return defaultBackend;
    }

    /** Every backend a session of this frontend may be sent to, default first. */
    public List<String> reachableBackends() {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
        if (defaultBackend != null) {
            all.add(defaultBackend);
        }
        useBackends.forEach(r -> all.add(r.backend()));
        return List.copyOf(all);
    }
}
