package io.rtmprouter.config;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `log` lines, `log global`, `no log`, `log-tag`, `option tcplog` and `dontlognull`, as HAProxy inherits them. */
class LogConfigTest {
    @Test
    void globalLinesReachTheProxiesThatSayLogGlobal() throws Exception {
        RouterConfig c = ConfigParser.parse("t.cfg", """
                global
                  log 127.0.0.1 local0
                  log 127.0.0.2:1514 len 2048 format rfc5424 local1 notice err
                  log-tag edge
                defaults
                  mode tcp
                  log global
                  option tcplog
                  option dontlognull
                  timeout connect 1s
                  timeout client 1s
                  timeout server 1s
                frontend a
                  bind 127.0.9.1:1
                  default_backend b
                frontend quiet
                  bind 127.0.9.1:2
                  no log
                  default_backend b
                frontend own
                  bind 127.0.9.1:3
                  no log
                  log stdout format raw daemon
                  log-tag own
                  no option tcplog
                  default_backend b
                backend b
                  server s 127.0.9.2:1
                """);
        LogTarget.Settings a = c.frontends().get(0).logging();
        assertEquals(2, a.targets().size());
        LogTarget first = a.targets().get(0);
        assertEquals(new InetSocketAddress("127.0.0.1", 514), first.udp(), "port 514 by default");
        assertEquals(LogTarget.Format.RFC3164, first.format());
        assertEquals(16, first.facility());
        assertEquals(7, first.level());
        LogTarget second = a.targets().get(1);
        assertEquals(2048, second.maxLength());
        assertEquals(LogTarget.Format.RFC5424, second.format());
        assertEquals(5, second.level());
        assertEquals(3, second.minLevel());
        assertEquals("edge", a.tag());
        assertTrue(a.tcplog());
        assertTrue(a.dontLogNull());
        assertEquals(List.of(), c.frontends().get(1).logging().targets());
        LogTarget.Settings own = c.frontends().get(2).logging();
        assertEquals(LogTarget.Kind.STDOUT, own.targets().get(0).kind());
        assertEquals("own", own.tag());
        assertFalse(own.tcplog());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void mistakes() {
        List<String> e = assertThrows(ConfigException.class, () -> ConfigParser.parse("t.cfg", """
                global
                  log 127.0.0.1 local9
                  log 127.0.0.1 local0 loud
                  log ring@buf local0
                  log syslog.test local0
                  log 127.0.0.1 format iso local0
                listen l
                  mode tcp
                  bind 127.0.9.1:1
                  timeout connect 1s
                  timeout client 1s
                  timeout server 1s
                  server s 127.0.9.2:1
                """)).errors();
        assertEquals(List.of(
                "[ALERT] t.cfg:2: unknown log facility 'local9' (did you mean 'local0'?)",
                "[ALERT] t.cfg:3: unknown optional log level 'loud'",
                "[ALERT] t.cfg:4: 'log ring@buf' (UDP addresses, UNIX paths, stdout and stderr are) is not supported by"
                        + " rtmp-router",
                "[ALERT] t.cfg:5: 'log syslog.test' : rtmp-router takes an IP address here, not a name",
                "[ALERT] t.cfg:6: log format 'iso' (rfc3164, rfc5424, raw and short are) is not supported by rtmp-router"),
                e);
    }
}
