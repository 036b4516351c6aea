package io.rtmprouter.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * `stats socket`: where the runtime API listens, a UNIX socket (path) or a TCP address, with its
 * file `mode`, owner (`user`/`uid`, `group`/`gid`) and access `level` (HAProxy's default:
 * operator).
 *
 * @param path  the UNIX socket's path; null for a TCP one
 * @param tcp   the TCP address; null for a UNIX one
 * @param mode  the socket file's permission bits (octal in the configuration); -1 to leave the umask's
 */
public record StatsSocketConfig(String path, InetSocketAddress tcp, int mode, String user, String group,
                                String level, SourceLocation where) {
    /** `stats socket` lines, `stats timeout` (default 10 s) and `stats maxconn` (default 10). */
    public record Settings(List<StatsSocketConfig> sockets, Duration timeout, int maxconn) {
        public static final Settings NONE = new Settings(List.of(), Duration.ofSeconds(10), 10);

        public Settings {
            sockets = List.copyOf(sockets);
        }
    }
}
