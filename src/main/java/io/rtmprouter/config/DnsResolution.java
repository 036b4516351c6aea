package io.rtmprouter.config;

import java.util.List;

/**
 * How a server follows its name: `resolvers R`, with `resolve-prefer`, `resolve-net` and
 * `resolve-opts`, as HAProxy picks an address among the answers.
 *
 * @param resolvers        the section whose name servers are asked; null: the name is resolved once, at
 *                         start-up, as `init-addr` says
 * @param preferIpv6       `resolve-prefer ipv6` (HAProxy's default) asks AAAA first, `ipv4` asks A first
 *                         and prefers IPv4 answers
 * @param preferredNets    `resolve-net`: answers in these networks are preferred
 * @param allowDuplicateIp `resolve-opts allow-dup-ip`: two servers of a backend may take the same
 *                         address; by default each takes an address no other server of its backend has
 */
public record DnsResolution(String resolvers, boolean preferIpv6, List<Network> preferredNets,
                            boolean allowDuplicateIp) {
    public DnsResolution {
        preferredNets = List.copyOf(preferredNets);
    }
}
