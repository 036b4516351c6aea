package io.rtmprouter.scenario;

import io.rtmprouter.testing.ScenarioRig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * `balance first` against three real nginx-rtmp origins with maxconn 2 each, rtmp-router and
 * Debian's HAProxy side by side: five sessions held open go to the same servers in the same order.
 */
class BalanceFirstScenarioTest {
    @RegisterExtension
    static final ScenarioRig rig = ScenarioRig.withOrigins("session");

    private static String config(int port) {
        return ScenarioRig.LOGGED_TCP_DEFAULTS + """
                listen first
                 bind 127.0.0.1:%d
                 balance first
                 server media01 127.0.1.1:1935 maxconn 2
                 server media02 127.0.1.2:1935 maxconn 2
                 server media03 127.0.1.3:1935 maxconn 2
                """.formatted(port);
    }

    /** Five sessions opened one after the other and held, then closed: the server of each, in order. */
    private static List<String> serversOfFiveSessions(int port, java.util.function.Function<Integer, String> serverOf)
            throws Exception {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                s.setSoTimeout(5000);
                byte[] c0c1 = new byte[1537];
                c0c1[0] = 3;
                s.getOutputStream().write(c0c1);
                assertEquals(3, s.getInputStream().read(), "S0 from the origin");
                open.add(s);
            }
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
        List<String> servers = new ArrayList<>();
        for (Socket s : open) {
            servers.add(serverOf.apply(s.getLocalPort()));
        }
        return servers;
    }

    @Test
    void fiveSessionsFillMedia01ThenMedia02ThenMedia03AsInHaproxy() throws Exception {
        int routerPort = ScenarioRig.freePort();
        int haproxyPort = ScenarioRig.freePort();
        rig.router(config(routerPort));
        Path log = rig.haproxy("first", config(haproxyPort));
        ScenarioRig.awaitListening(haproxyPort);

        List<String> ours = serversOfFiveSessions(routerPort, clientPort -> rig.log()
                .await(5000, "event=end", "frontend=first ", "client=127.0.0.1:" + clientPort + " ")
                .replaceAll(".* server=(\\S+) .*", "$1"));
        List<String> theirs = serversOfFiveSessions(haproxyPort, clientPort -> haproxyServerOf(log, clientPort));
        List<String> expected = List.of("media01", "media01", "media02", "media02", "media03");
        assertEquals(expected, ours, "rtmp-router");
        assertEquals(expected, theirs, "HAProxy");
    }

    /** The server of HAProxy's tcplog line for this client port. */
    private static String haproxyServerOf(Path log, int clientPort) {
        String client = "127.0.0.1:" + clientPort + " ";
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline) {
            try {
                for (String l : Files.readAllLines(log)) {
                    int at = l.indexOf(" first first/");
                    if (l.startsWith(client) && at >= 0) {
                        return l.substring(at + " first first/".length()).split(" ")[0];
                    }
                }
                Thread.sleep(50);
            } catch (IOException e) {
                throw new AssertionError(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("HAProxy logged no session of " + client);
    }
}
