package io.rtmprouter.scenario;

import io.rtmprouter.testing.ScenarioRig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `timeout client-fin` beside Debian's HAProxy: the server half-closes at once, the proxy passes
 * its FIN on, and the client, which neither sends nor closes, has client-fin (1 s) to close in
 * turn, not `timeout client` (30 s): both proxies end the session after 1 s as a client timeout
 * (HAProxy's cD). As HAProxy 2.6 (measured), a client's own half-close starts no client-fin.
 */
class HalfCloseTimeoutScenarioTest {
    @RegisterExtension
    static final ScenarioRig rig = ScenarioRig.withoutOrigins("session");

    private static String config(int port, int serverPort) {
        return """
                defaults
                 mode tcp
                 log global
                 option tcplog
                 timeout connect 1s
                 timeout client 30s
                 timeout server 30s
                 timeout client-fin 1s
                listen halfclosed
                 bind 127.0.0.1:%d
                 server quiet 127.0.0.1:%d
                """.formatted(port, serverPort);
    }

    /** The client reads the server's FIN passed on, and then holds its side open for 3 s. */
    private static void holdAfterTheServersFin(int port) throws IOException, InterruptedException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            assertEquals(-1, s.getInputStream().read(), "the server's FIN, passed on");
            Thread.sleep(3000);
        }
    }

    @Test
    void aHalfClosedClientIsTimedOutAfterClientFinAsHaproxyDoes() throws Exception {
        List<Socket> held = new ArrayList<>();
        ServerSocket quiet = rig.closedAfter(new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1")));
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    Socket s = quiet.accept();
                    s.shutdownOutput(); // its FIN at once; it reads nothing and holds its side
                    held.add(s);
                }
            } catch (IOException closed) {
                // the class is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        int routerPort = ScenarioRig.freePort();
        int haproxyPort = ScenarioRig.freePort();
        rig.router(config(routerPort, quiet.getLocalPort()));
        Path log = rig.haproxy("halfclosed", config(haproxyPort, quiet.getLocalPort()));
        ScenarioRig.awaitListening(haproxyPort);

        holdAfterTheServersFin(haproxyPort);
        holdAfterTheServersFin(routerPort);
        String end = rig.log().await(5000, "event=end", "frontend=halfclosed ");
        assertTrue(end.contains(" term=client_timeout"), end);
        long ours = Long.parseLong(end.replaceAll(".* duration_ms=(\\d+) .*", "$1"));
        assertTrue(ours >= 900 && ours < 2500, "rtmp-router ended it after " + ours + " ms, not after 30 s: " + end);
        String haproxyLog = Files.readString(log);
        String theirs = haproxyLog.lines().filter(l -> l.contains(" halfclosed halfclosed/quiet "))
                .findFirst().orElseThrow(() -> new AssertionError("HAProxy logged no session:\n" + haproxyLog));
        assertTrue(theirs.contains(" cD "), "HAProxy: a client timeout after the server's FIN: " + theirs);
        long haproxyTotal = Long.parseLong(theirs.replaceAll(".* \\d+/\\d+/(\\d+) .*", "$1"));
        assertTrue(haproxyTotal >= 900 && haproxyTotal < 2500, "HAProxy ended it after " + haproxyTotal + " ms: " + theirs);
        for (Socket s : held) {
            s.close();
        }
    }
}
