package io.rtmprouter.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * Established TCP connections as the kernel lists them (/proc/net/tcp and tcp6): an independent
 * count of what really reaches each origin, whatever the router believes.
 */
public final class TcpTable {
    public record Connection(String localIp, int localPort, String remoteIp, int remotePort) {
    }

    private TcpTable() {
    }

    public static List<Connection> established() {
        try {
            return java.util.stream.Stream.of("/proc/net/tcp", "/proc/net/tcp6")
                    .flatMap(f -> lines(Path.of(f)).stream().skip(1))
                    .map(String::trim)
                    .map(l -> l.split("\\s+"))
                    .filter(f -> f[3].equals("01"))
                    .map(f -> new Connection(ip(f[1]), port(f[1]), ip(f[2]), port(f[2])))
                    .filter(c -> c.localIp() != null && c.remoteIp() != null)
                    .toList();
        } catch (RuntimeException e) {
            throw new AssertionError("cannot read the kernel's TCP table: " + e, e);
        }
    }

    /** Connections to ip:port whose source address matches. */
    public static long countTo(String ip, int port, Predicate<String> source) {
        return to(ip, port, source).size();
    }

    /**
     * The connections to ip:port whose source address matches. One read of /proc/net/tcp is not an
     * atomic snapshot (the kernel writes it in chunks), so a single pass may list a connection that
     * closed and its successor. Callers that need "open at the same time" should intersect two
     * consecutive passes: a connection in both was open throughout the time between them.
     */
    public static java.util.Set<Connection> to(String ip, int port, Predicate<String> source) {
        return established().stream()
                .filter(c -> c.remoteIp().equals(ip) && c.remotePort() == port && source.test(c.localIp()))
                .collect(java.util.stream.Collectors.toSet());
    }

    private static List<String> lines(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p) : List.of();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int port(String field) {
        return Integer.parseInt(field.substring(field.indexOf(':') + 1), 16);
    }

    /** "0101007F" is 127.0.1.1; in tcp6 only IPv4-mapped addresses are kept. */
    private static String ip(String field) {
        String hex = field.substring(0, field.indexOf(':'));
        if (hex.length() == 32) {
            if (!hex.startsWith("0000000000000000FFFF0000")) {
                return null;
            }
            hex = hex.substring(24);
        }
        long v = Long.parseLong(hex, 16);
        return (v & 0xff) + "." + (v >> 8 & 0xff) + "." + (v >> 16 & 0xff) + "." + (v >> 24 & 0xff);
    }
}
