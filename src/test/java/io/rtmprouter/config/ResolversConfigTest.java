package io.rtmprouter.config;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `resolvers` sections and the server parameters that name them, with HAProxy 2.6's defaults and words. */
class ResolversConfigTest {
    private static final String PROXY = """
            defaults
              mode tcp
              timeout connect 1s
              timeout client 1s
              timeout server 1s
            listen l
              bind 127.0.9.1:1
            """;

    private static RouterConfig parse(String text) throws ConfigException {
        return ConfigParser.parse("t.cfg", text);
    }

    private static List<String> errors(String text) {
        return assertThrows(ConfigException.class, () -> parse(text)).errors();
    }

    @Test
    void aSectionTakesHaproxysDefaultsAndWhatItSays() throws Exception {
        RouterConfig c = parse("""
                resolvers dns
                  nameserver ns1 127.0.9.53:53
                  nameserver ns2 udp@[::1]:5353
                resolvers tuned
                  nameserver ns1 127.0.9.53:5300
                  hold nx 3s
                  hold other 4s
                  hold refused 5s
                  hold timeout 6s
                  hold valid 7s
                  hold obsolete 8s
                  resolve_retries 5
                  timeout resolve 2s
                  timeout retry 300ms
                  accepted_payload_size 8192
                """ + PROXY + """
                  server s1 origin.test:1935 resolvers tuned init-addr none resolve-prefer ipv4 resolve-net 10.0.0.0/8,fd00::/8 resolve-opts allow-dup-ip,ignore-weight
                  server s2 origin.test:1935 resolvers dns init-addr none
                  server s3 127.0.1.3:1935
                """);
        ResolversConfig dns = c.resolvers().get("dns");
        assertEquals(List.of(new InetSocketAddress("127.0.9.53", 53), new InetSocketAddress("::1", 5353)),
                dns.nameservers().stream().map(ResolversConfig.Nameserver::address).toList());
        assertEquals(ResolversConfig.Holds.DEFAULT, dns.hold());
        assertEquals(3, dns.resolveRetries());
        assertEquals(Duration.ofSeconds(1), dns.timeoutResolve());
        assertEquals(Duration.ofSeconds(1), dns.timeoutRetry());
        assertEquals(512, dns.acceptedPayloadSize());
        ResolversConfig t = c.resolvers().get("tuned");
        assertEquals(new ResolversConfig.Holds(Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofSeconds(5),
                Duration.ofSeconds(6), Duration.ofSeconds(7), Duration.ofSeconds(8)), t.hold());
        assertEquals(5, t.resolveRetries());
        assertEquals(Duration.ofSeconds(2), t.timeoutResolve());
        assertEquals(Duration.ofMillis(300), t.timeoutRetry());
        assertEquals(8192, t.acceptedPayloadSize());

        List<ServerConfig> s = c.backends().get("l").servers();
        DnsResolution r1 = s.get(0).resolution();
        assertEquals("tuned", r1.resolvers());
        assertFalse(r1.preferIpv6());
        assertEquals(List.of("10.0.0.0/8", "fd00:0:0:0:0:0:0:0/8"), r1.preferredNets().stream().map(Network::toString)
                .toList());
        assertTrue(r1.allowDuplicateIp());
        DnsResolution r2 = s.get(1).resolution();
        assertTrue(r2.preferIpv6(), "HAProxy prefers IPv6 unless told otherwise");
        assertFalse(r2.allowDuplicateIp());
        assertNull(s.get(2).resolution().resolvers());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void mistakesReadAsHaproxy26WordsThem() {
        // Each message as `haproxy -c` (2.6.12) printed it for the same line.
        assertEquals(List.of(
                "[ALERT] t.cfg:2: 'nameserver ns1' : missing port specification in '127.0.0.1'",
                "[ALERT] t.cfg:3: 'hold' unknown <event>: 'foo', expects either 'nx', 'timeout', 'valid', 'obsolete' or"
                        + " 'other'.",
                "[ALERT] t.cfg:4: unknown keyword 'bogus' in 'resolvers' section",
                "[ALERT] t.cfg:5: 'accepted_payload_size' must be between 12 and 65535 inclusive (was 5).",
                "[ALERT] t.cfg:6: 'timeout' expects 'retry' or 'resolve' and <time> as arguments got 'other'.",
                "[ALERT] t.cfg:8: nameserver 'ns2' has same name as another nameserver (declared at t.cfg:7).",
                "[ALERT] t.cfg:9: 'nameserver ns3' over TCP ('tcp@127.0.0.1:53') is not supported by rtmp-router",
                "[ALERT] t.cfg:10: 'nameserver ns4' : invalid address: 'dns.test:53' (rtmp-router takes an IPv4 or IPv6"
                        + " address here, not a name: it never asks the system's resolver)",
                "[ALERT] t.cfg:12: resolvers 'dns' has same name as another resolvers (declared at t.cfg:1).",
                "[ALERT] t.cfg:20: 'resolve-prefer' expects either ipv4 or ipv6 as argument.",
                "[ALERT] t.cfg:21: 'resolve-opts' : unknown resolve-opts option 'sticky', supported methods are"
                        + " 'allow-dup-ip', 'ignore-weight', and 'prevent-dup-ip'.",
                "[ALERT] t.cfg:22: 'resolve-net' invalid network 'ten'.",
                "[ALERT] t.cfg:23: proxy 'l', server 's4': unable to find required resolvers 'dnx'"
                        + " (did you mean 'dns'?)",
                "[ALERT] t.cfg:24: server 'l/s5' : SRV record resolution ('_rtmp._tcp.origin.test') is not supported"
                        + " by rtmp-router: name the servers' A or AAAA records"),
                errors("""
                        resolvers dns
                          nameserver ns1 127.0.0.1
                          hold foo 1s
                          bogus 1
                          accepted_payload_size 5
                          timeout other 1s
                          nameserver ns2 127.0.0.1:53
                          nameserver ns2 127.0.0.2:53
                          nameserver ns3 tcp@127.0.0.1:53
                          nameserver ns4 dns.test:53
                          nameserver ns5 127.0.0.3:53
                        resolvers dns
                        """ + PROXY + """
                          server s1 origin.test:1 resolvers dns init-addr none resolve-prefer ipv5
                          server s2 origin.test:1 resolvers dns init-addr none resolve-opts sticky
                          server s3 origin.test:1 resolvers dns init-addr none resolve-net ten
                          server s4 origin.test:1 resolvers dnx init-addr none
                          server s5 _rtmp._tcp.origin.test resolvers dns init-addr none
                        """));
    }

    @Test
    void aSectionWithoutNameserversIsHaproxysWarning() throws Exception {
        RouterConfig c = parse("resolvers dns\n" + PROXY + "  server s1 origin.test:1 resolvers dns init-addr none\n");
        assertEquals(List.of("[WARNING] resolvers 'dns' [t.cfg:1] has no nameservers configured!"), c.warnings());
    }

    @Test
    void parseResolvConfTakesEachNameserverLineOnPort53() throws Exception {
        Path f = Files.createTempFile("resolv", ".conf");
        try {
            Files.writeString(f, "# a comment\nsearch example.test\nnameserver 127.0.9.53\nnameserver\n"
                    + "nameserver not-an-address\nnameserver ::1 # trailing\nnameserver 127.0.9.53\n");
            ResolversKeywords.Draft d = new ResolversKeywords.Draft("dns", new SourceLocation("t.cfg", 1));
            List<String> warnings = new ArrayList<>();
            ResolversKeywords.parseResolvConf(d, f, new SourceLocation("t.cfg", 2), warnings);
            assertEquals(List.of(new InetSocketAddress("127.0.9.53", 53), new InetSocketAddress("::1", 53)),
                    d.nameservers.stream().map(ResolversConfig.Nameserver::address).toList());
            assertEquals(List.of("127.0.9.53", "::1"), d.nameservers.stream().map(ResolversConfig.Nameserver::name)
                    .toList(), "named by their addresses, as HAProxy names them");
            assertEquals(List.of(
                    "[WARNING] t.cfg:2: parsing [" + f + ":4] : nameserver line is missing address.",
                    "[WARNING] t.cfg:2: parsing [" + f + ":5] : address 'not-an-address' could not be recognized,"
                            + " nameserver will be excluded.",
                    "[WARNING] t.cfg:2: parsing [" + f + ":7] : generated name for " + f + " nameserver '127.0.9.53'"
                            + " conflicts with another nameserver, it appears to be a duplicate and will be excluded."),
                    warnings);
        } finally {
            Files.delete(f);
        }
    }
}
