package io.rtmprouter.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The lines of a `resolvers` section, with HAProxy's defaults and its error messages. */
final class ResolversKeywords {
    /** Where `parse-resolv-conf` reads the system's name servers, as HAProxy does. */
    static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");

    /** A section while it is read. */
    static final class Draft {
        final String name;
        final SourceLocation where;
        final List<ResolversConfig.Nameserver> nameservers = new ArrayList<>();
        Duration nx = ResolversConfig.Holds.DEFAULT.nx();
        Duration other = ResolversConfig.Holds.DEFAULT.other();
        Duration refused = ResolversConfig.Holds.DEFAULT.refused();
        Duration timeout = ResolversConfig.Holds.DEFAULT.timeout();
        Duration valid = ResolversConfig.Holds.DEFAULT.valid();
        Duration obsolete = ResolversConfig.Holds.DEFAULT.obsolete();
        int resolveRetries = 3;
        Duration timeoutResolve = Duration.ofSeconds(1);
        Duration timeoutRetry = Duration.ofSeconds(1);
        int acceptedPayloadSize = 512;

        Draft(String name, SourceLocation where) {
            this.name = name;
            this.where = where;
        }

        ResolversConfig build() {
            return new ResolversConfig(name, nameservers, new ResolversConfig.Holds(nx, other, refused, timeout, valid,
                    obsolete), resolveRetries, timeoutResolve, timeoutRetry, acceptedPayloadSize, where);
        }
    }

    private ResolversKeywords() {
    }

    static void apply(Draft d, LineWords w, SourceLocation where, List<String> warnings) throws ConfigException {
        List<String> a = w; // words taken as read, so that an extra one is refused as HAProxy does
        switch (a.get(0)) {
            case "nameserver" -> nameserver(d, a, where);
            case "parse-resolv-conf" -> parseResolvConf(d, RESOLV_CONF, where, warnings);
            case "hold" -> hold(d, a, where);
            case "accepted_payload_size" -> {
                String v = value(a, 1, where, "'accepted_payload_size' expects <nb> as argument.");
                int n = leadingInt(v);
                if (n < 12 || n > 65535) {
                    throw new ConfigException(where, "'accepted_payload_size' must be between 12 and 65535 inclusive"
                            + " (was " + v + ").");
                }
                d.acceptedPayloadSize = n;
            }
            case "resolve_retries" -> {
                String v = value(a, 1, where, "'resolve_retries' expects <nb> as argument.");
                // HAProxy reads it with atoi; fewer than one query could never resolve anything.
                d.resolveRetries = Values.integer(v, where, "resolve_retries", 1, 1_000_000);
            }
            case "timeout" -> {
                String which = value(a, 1, where, "'timeout' expects 'retry' or 'resolve' and <time> as arguments.");
                if (!which.equals("retry") && !which.equals("resolve")) {
                    throw new ConfigException(where, "'timeout' expects 'retry' or 'resolve' and <time> as arguments"
                            + " got '" + which + "'.");
                }
                Duration t = positive(Values.duration(value(a, 2, where, "'timeout " + which
                        + "' expects <time> as argument."), where, "timeout " + which), where, "timeout " + which);
                if (which.equals("retry")) {
                    d.timeoutRetry = t;
                } else {
                    d.timeoutResolve = t;
                }
            }
            case "resolution_pool_size" -> throw new ConfigException(where, "'resolution_pool_size' directive is not"
                    + " supported anymore (it never appeared in a stable release).");
            default -> throw new ConfigException(where, "unknown keyword '" + a.get(0) + "' in 'resolvers' section"
                    + Suggestions.hint(a.get(0), List.of("nameserver", "parse-resolv-conf", "hold",
                    "accepted_payload_size", "resolve_retries", "timeout")));
        }
    }

    private static void nameserver(Draft d, List<String> a, SourceLocation where) throws ConfigException {
        if (a.size() < 3) {
            throw new ConfigException(where, "'nameserver' expects <name> and <addr>[:<port>] as arguments.");
        }
        String name = a.get(1);
        for (ResolversConfig.Nameserver other : d.nameservers) {
            if (other.name().equals(name)) {
                throw new ConfigException(where, "nameserver '" + name + "' has same name as another nameserver"
                        + " (declared at " + other.where() + ").");
            }
        }
        String text = a.get(2);
        String addr = text;
        for (String prefix : List.of("udp@", "udp4@", "udp6@", "ipv4@", "ipv6@")) {
            if (addr.startsWith(prefix)) {
                addr = addr.substring(prefix.length());
            }
        }
        if (addr.startsWith("tcp@") || addr.startsWith("tcp4@") || addr.startsWith("tcp6@")) {
            throw Unsupported.keyword(where, "'nameserver " + name + "' over TCP ('" + text + "')");
        }
        Addresses.HostPort hp = Addresses.parse(addr, where, false);
        if (hp.portFrom() == 0) {
            throw new ConfigException(where, "'nameserver " + name + "' : missing port specification in '" + text + "'");
        }
        if (hp.host() == null || !Addresses.isIpLiteral(hp.host())) {
            throw new ConfigException(where, "'nameserver " + name + "' : invalid address: '" + text + "' (rtmp-router"
                    + " takes an IPv4 or IPv6 address here, not a name: it never asks the system's resolver)");
        }
        d.nameservers.add(new ResolversConfig.Nameserver(name, new InetSocketAddress(literal(hp.host()),
                hp.portFrom()), where));
    }

    /**
     * HAProxy's parse-resolv-conf: each `nameserver ADDR` line of resolv.conf, port 53, named by
     * its address; a line it cannot use is a warning and left out.
     */
    static void parseResolvConf(Draft d, Path file, SourceLocation where, List<String> warnings)
            throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new ConfigException(where, "failed to open " + file + ".");
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("nameserver")) {
                continue;
            }
            String[] words = line.substring("nameserver".length()).trim().split("[\\s]+");
            String at = "parsing [" + file + ":" + (i + 1) + "] : ";
            if (words.length == 0 || words[0].isEmpty()) {
                warnings.add(Warnings.of(where, at + "nameserver line is missing address."));
                continue;
            }
            String address = words[0];
            if (d.nameservers.stream().anyMatch(n -> n.name().equals(address))) {
                warnings.add(Warnings.of(where, at + "generated name for " + file + " nameserver '" + address
                        + "' conflicts with another nameserver, it appears to be a duplicate and will be excluded."));
                continue;
            }
            if (!Addresses.isIpLiteral(address)) {
                warnings.add(Warnings.of(where, at + "address '" + address + "' could not be recognized, nameserver"
                        + " will be excluded."));
                continue;
            }
            d.nameservers.add(new ResolversConfig.Nameserver(address, new InetSocketAddress(literal(address), 53),
                    new SourceLocation(file.toString(), i + 1)));
        }
    }

    private static void hold(Draft d, List<String> a, SourceLocation where) throws ConfigException {
        if (a.size() < 3) {
            throw new ConfigException(where, "'hold' expects an <event> and a <time> as arguments.");
        }
        Duration t = Values.duration(a.get(2), where, "hold");
        switch (a.get(1)) {
            case "nx" -> d.nx = t;
            case "other" -> d.other = t;
            case "refused" -> d.refused = t;
            case "timeout" -> d.timeout = t;
            case "valid" -> d.valid = t;
            case "obsolete" -> d.obsolete = t;
            default -> throw new ConfigException(where, "'hold' unknown <event>: '" + a.get(1) + "', expects either"
                    + " 'nx', 'timeout', 'valid', 'obsolete' or 'other'.");
        }
    }

    private static String value(List<String> a, int i, SourceLocation where, String missing) throws ConfigException {
        if (a.size() <= i || a.get(i).isEmpty()) {
            throw new ConfigException(where, missing);
        }
        return a.get(i);
    }

    /** atoi, as HAProxy reads the number: its leading digits, 0 without any. */
    private static int leadingInt(String v) {
        int n = 0;
        for (int i = 0; i < v.length() && Character.isDigit(v.charAt(i)) && n < 1_000_000; i++) {
            n = n * 10 + (v.charAt(i) - '0');
        }
        return n;
    }

    private static Duration positive(Duration t, SourceLocation where, String keyword) throws ConfigException {
        if (t.isZero()) {
            throw new ConfigException(where, "timer underflow in argument to <" + keyword + ">, minimum non-null"
                    + " value is 1 ms.");
        }
        return t;
    }

    private static InetAddress literal(String host) {
        try {
            return InetAddress.getByName(host); // a literal, checked above: no look-up
        } catch (UnknownHostException e) {
            throw new IllegalStateException(host + " was checked as an address", e);
        }
    }
}
