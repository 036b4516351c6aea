package io.rtmprouter.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * One `resolvers` section: the name servers that servers naming it ask, and HAProxy's timers.
 * Every query goes to all of its name servers; the first valid answer is taken.
 *
 * @param resolveRetries       `resolve_retries`: queries sent before a resolution is a timeout
 * @param timeoutResolve       `timeout resolve`: how often each name is resolved again
 * @param timeoutRetry         `timeout retry`: how long an answer is waited for before asking again
 * @param acceptedPayloadSize  `accepted_payload_size`: the largest answer taken, announced with EDNS0
 */
public record ResolversConfig(String name, List<Nameserver> nameservers, Holds hold, int resolveRetries,
                              Duration timeoutResolve, Duration timeoutRetry, int acceptedPayloadSize,
                              SourceLocation where) {
    public ResolversConfig {
        nameservers = List.copyOf(nameservers);
    }

    /** `nameserver NAME ADDR[:PORT]`: a DNS server asked over UDP, port 53 when omitted. */
    public record Nameserver(String name, InetSocketAddress address, SourceLocation where) {
    }

    /**
     * `hold STATUS PERIOD`: how long the last valid address is kept while resolutions end in that
     * status (nx, refused, timeout, other) before the server goes into maintenance; `obsolete`:
     * how long an address that left the answers is kept; `valid`: how long an answer may be reused.
     */
    public record Holds(Duration nx, Duration other, Duration refused, Duration timeout, Duration valid,
                        Duration obsolete) {
        /** HAProxy's defaults. */
        public static final Holds DEFAULT = new Holds(Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ZERO);
    }
}
