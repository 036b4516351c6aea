package io.rtmprouter.config;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The global `stats` lines of the runtime API. */
class StatsSocketConfigTest {
    private static final String PROXY = """
            defaults
              mode tcp
              timeout connect 1s
              timeout client 1s
              timeout server 1s
            listen l
              bind 127.0.9.1:1
              server s 127.0.9.2:1
            """;

    @Test
    void socketsTimeoutAndMaxconn() throws Exception {
        RouterConfig c = ConfigParser.parse("t.cfg", """
                global
                  stats socket /run/rtmp-router/admin.sock mode 660 level admin user root group root
                  stats socket ipv4@127.0.0.1:9999 level user
                  stats socket unix@/tmp/op.sock
                  stats timeout 30s
                  stats maxconn 3
                """ + PROXY);
        StatsSocketConfig.Settings s = c.global().stats();
        assertEquals(Duration.ofSeconds(30), s.timeout());
        assertEquals(3, s.maxconn());
        StatsSocketConfig admin = s.sockets().get(0);
        assertEquals("/run/rtmp-router/admin.sock", admin.path());
        assertEquals(0660, admin.mode());
        assertEquals("admin", admin.level());
        assertEquals("root", admin.user());
        StatsSocketConfig tcp = s.sockets().get(1);
        assertNull(tcp.path());
        assertEquals(new InetSocketAddress("127.0.0.1", 9999), tcp.tcp());
        assertEquals("user", tcp.level());
        assertEquals("operator", s.sockets().get(2).level(), "HAProxy's default level");
        assertEquals(-1, s.sockets().get(2).mode());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void withoutStatsLinesHaproxysDefaults() throws Exception {
        StatsSocketConfig.Settings s = ConfigParser.parse("t.cfg", PROXY).global().stats();
        assertEquals(List.of(), s.sockets());
        assertEquals(Duration.ofSeconds(10), s.timeout());
        assertEquals(10, s.maxconn());
    }

    @Test
    void mistakes() {
        List<String> e = assertThrows(ConfigException.class, () -> ConfigParser.parse("t.cfg", """
                global
                  stats socket /tmp/a.sock level root
                  stats socket /tmp/b.sock severity-output number
                  stats socket abns@cli
                  stats socket /tmp/c.sock mode 9x
                  stats bogus 1
                """ + PROXY)).errors();
        assertEquals(List.of(
                "[ALERT] t.cfg:2: 'level' only supports 'user', 'operator', and 'admin'.",
                "[ALERT] t.cfg:3: stats socket parameter 'severity-output' is not supported by rtmp-router",
                "[ALERT] t.cfg:4: 'stats socket abns@cli' (only UNIX paths and ipv4@/ipv6@ addresses) is not supported"
                        + " by rtmp-router",
                "[ALERT] t.cfg:5: 'mode' : '9x' is not an octal mode",
                "[ALERT] t.cfg:6: 'stats' in 'global' takes 'socket', 'timeout' or 'maxconn' (got 'bogus')"),
                e);
    }
}
