package io.rtmprouter.scenario;

import io.rtmprouter.testing.Programs;
import io.rtmprouter.testing.ScenarioRig;
import io.rtmprouter.testing.TcpTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server that follows its name, beside Debian's HAProxy, both asking Debian's dnsmasq (a hosts
 * file it reads again on SIGHUP) about origin.test every second: as the name moves from media01
 * to media02, then to an address where nothing listens (its health check takes it DOWN), stops
 * resolving, then comes back on media03, both write the same messages, word for word, and send
 * new clients to the same origin; sessions already open stay where they are.
 * Nothing here resolves through the system: the servers start with `init-addr none`.
 */
class ResolversScenarioTest {
    @RegisterExtension
    static final ScenarioRig rig = ScenarioRig.withOrigins("resolvers", "health", "session");

    private static final String NAME_SERVER = "127.0.9.53";

    private static String config(int port, int dnsPort) {
        return """
                resolvers dns
                 nameserver ns1 %s:%d
                 hold nx 2s
                """.formatted(NAME_SERVER, dnsPort) + ScenarioRig.LOGGED_TCP_DEFAULTS + """
                listen followed
                 bind 127.0.0.1:%d
                 server media origin.test:1935 resolvers dns init-addr none resolve-prefer ipv4 check inter 300ms
                """.formatted(port);
    }

    private Process dnsmasq;
    private Path hosts;

    private void names(String line) throws Exception {
        Files.writeString(hosts, line);
        Programs.run(List.of("kill", "-HUP", Long.toString(dnsmasq.pid())), Map.of(), java.time.Duration.ofSeconds(5));
    }

    private static List<String> next(Path haproxyLog, String fragment, int seen) throws Exception {
        return rig.messagePair(haproxyLog, fragment, seen);
    }

    private static void same(List<String> oursAndTheirs) {
        assertEquals(oursAndTheirs.get(1), oursAndTheirs.get(0), "rtmp-router's message, then HAProxy's");
    }

    /** A client through each proxy, answered by the origin (S0), and left open. */
    private static List<Socket> clients(int... ports) throws IOException {
        List<Socket> open = new ArrayList<>();
        for (int port : ports) {
            Socket s = new Socket("127.0.0.1", port);
            s.setSoTimeout(5000);
            byte[] c0c1 = new byte[1537];
            c0c1[0] = 3;
            s.getOutputStream().write(c0c1);
            assertEquals(3, s.getInputStream().read(), "S0 from the origin through :" + port);
            open.add(s);
        }
        return open;
    }

    private static long sessionsOn(String origin) {
        return TcpTable.countTo(origin, 1935, ip -> true);
    }

    @Test
    void bothProxiesFollowTheNameWithTheSameMessagesAndSendClientsToTheSameOrigin() throws Exception {
        hosts = rig.dir().resolve("hosts");
        Files.writeString(hosts, "127.0.1.1 origin.test\n");
        int dnsPort = ScenarioRig.freePort();
        // The hosts file only, for .test only: dnsmasq forwards nothing anywhere.
        dnsmasq = rig.program(Programs.start(List.of("dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
                "--no-resolv", "--no-hosts", "--local=/test/", "--addn-hosts=" + hosts, "--listen-address=" + NAME_SERVER,
                "--bind-interfaces", "--port=" + dnsPort, "--user=root", "--pid-file=" + rig.dir().resolve("dnsmasq.pid"),
                "--log-queries", "--log-facility=-"), Map.of(), rig.dir().resolve("dnsmasq.log")));
        int routerPort = ScenarioRig.freePort();
        int haproxyPort = ScenarioRig.freePort();
        rig.router(config(routerPort, dnsPort));
        Path log = rig.haproxy("followed", config(haproxyPort, dnsPort));

        same(next(log, "followed/media changed its IP from (none) to 127.0.1.1 by dns/ns1.", 0));
        same(next(log, "Server followed/media ('origin.test') is UP/READY (resolves again).", 0));
        same(next(log, "Server followed/media administratively READY thanks to valid DNS answer.", 0));
        ScenarioRig.awaitListening(haproxyPort);
        List<Socket> onMedia01 = clients(routerPort, haproxyPort);
        assertEquals(2, sessionsOn("127.0.1.1"), "one session of each proxy on media01");

        names("127.0.1.2 origin.test\n");
        same(next(log, "followed/media changed its IP from 127.0.1.1 to 127.0.1.2 by dns/ns1.", 0));
        List<Socket> onMedia02 = clients(routerPort, haproxyPort);
        assertEquals(2, sessionsOn("127.0.1.2"), "new sessions follow the name");
        assertEquals(2, sessionsOn("127.0.1.1"), "open sessions stay where they are, in both proxies");
        for (Socket s : onMedia01) {
            s.close();
        }
        for (Socket s : onMedia02) {
            s.close();
        }

        // The checks follow the name too: nothing listens at its new address.
        names("127.0.1.9 origin.test\n");
        same(next(log, "followed/media changed its IP from 127.0.1.2 to 127.0.1.9 by dns/ns1.", 0));
        List<String> down = next(log, "Server followed/media is DOWN", 0);
        assertEquals(down.get(1).replaceAll("check duration: \\d+ms", "check duration: Nms"),
                down.get(0).replaceAll("check duration: \\d+ms", "check duration: Nms"));
        assertTrue(down.get(0).contains("reason: Layer4 connection problem, info: \"Connection refused\""), down.get(0));

        names("");
        same(next(log, "Server followed/media was DOWN and now enters maintenance (DNS NX status).", 0));
        for (int port : new int[] {routerPort, haproxyPort}) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(5000);
                s.getOutputStream().write(new byte[1537]);
                int got;
                try {
                    got = s.getInputStream().read();
                } catch (java.net.SocketException reset) {
                    got = -1; // closed with our C0C1 unread: a reset, from either proxy
                }
                assertEquals(-1, got, "no server while the name does not resolve: :" + port);
            }
        }

        names("127.0.1.3 origin.test\n");
        same(next(log, "followed/media changed its IP from (none) to 127.0.1.3 by dns/ns1.", 0));
        same(next(log, "Server followed/media ('origin.test') is UP/READY (resolves again).", 1));
        List<Socket> onMedia03 = clients(routerPort, haproxyPort);
        assertEquals(2, sessionsOn("127.0.1.3"));
        for (Socket s : onMedia03) {
            s.close();
        }
    }
}
