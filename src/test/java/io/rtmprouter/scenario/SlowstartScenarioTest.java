package io.rtmprouter.scenario;

import io.rtmprouter.testing.ScenarioRig;
import io.rtmprouter.testing.TcpTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
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
 * `slowstart` beside Debian's HAProxy: media02 (maxconn 10, slowstart 10s) comes back up when
 * the port its checks go to opens, and ten clients of each proxy arrive as it says so. Both say
 * it is UP in the same words; rtmp-router lets the waiting clients in second by second as the
 * ramp HAProxy documents allows, max(1, 10 x elapsed / 10), and HAProxy, measured beside it,
 * starts the same and then goes faster than its own ramp.
 */
class SlowstartScenarioTest {
    @RegisterExtension
    static final ScenarioRig rig = ScenarioRig.withOrigins("health", "session");

    private static String config(int port, String source, int checkPort) {
        return ScenarioRig.LOGGED_TCP_DEFAULTS + """
                listen warming
                 bind 127.0.0.1:%d
                 timeout client 60s
                 timeout server 60s
                 timeout queue 60s
                 source %s
                 server media02 127.0.1.2:1935 maxconn 10 slowstart 10s check port %d inter 200ms rise 1 fall 1
                """.formatted(port, source, checkPort);
    }

    /** Held client connections: a C0+C1 each, waiting in the queue until the proxy lets them through. */
    private static List<Socket> waiting(int port, int n) throws IOException {
        List<Socket> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Socket s = rig.closedAfter(new Socket("127.0.0.1", port));
            byte[] c0c1 = new byte[1537];
            c0c1[0] = 3;
            s.getOutputStream().write(c0c1);
            out.add(s);
        }
        return out;
    }

    private static long onMedia02(String source) {
        // Two reads: a connection in both was open throughout (see TcpTable).
        var first = TcpTable.to("127.0.1.2", 1935, source::equals);
        var second = TcpTable.to("127.0.1.2", 1935, source::equals);
        return first.stream().filter(second::contains).count();
    }

    @Test
    void theWaitingClientsComeInAsTheDocumentedRampAllows() throws Exception {
        int checkPort = ScenarioRig.freePort();
        int routerPort = ScenarioRig.freePort();
        int haproxyPort = ScenarioRig.freePort();
        rig.router(config(routerPort, "127.0.0.11", checkPort));
        Path log = rig.haproxy("warming", config(haproxyPort, "127.0.0.12", checkPort));
        ScenarioRig.awaitListening(haproxyPort);
        // Nothing on the check port yet: both take media02 DOWN.
        rig.messagePair(log, "Server warming/media02 is DOWN", 0);

        ServerSocket check = rig.closedAfter(new ServerSocket());
        check.bind(new InetSocketAddress("127.0.1.2", checkPort)); // `port`: the server's address, another port
        Thread acceptor = new Thread(() -> {
            while (!check.isClosed()) {
                try (Socket s = check.accept()) {
                    s.getInputStream().available();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        // Each proxy's own UP moment: seen here within 20 ms of its log line.
        long[] up = new long[2];
        List<List<Long>> counts = List.of(new ArrayList<>(), new ArrayList<>());
        String[] sources = {"127.0.0.11", "127.0.0.12"};
        long deadline = System.currentTimeMillis() + 10_000;
        while ((up[0] == 0 || up[1] == 0) && System.currentTimeMillis() < deadline) {
            // A server that is DOWN queues no one: the clients come as each proxy says it is UP.
            if (up[0] == 0 && !rig.log().matching(l -> l.contains("msg=\"Server warming/media02 is UP")).isEmpty()) {
                up[0] = System.nanoTime();
                waiting(routerPort, 10);
            }
            if (up[1] == 0 && Files.readAllLines(log).stream().anyMatch(l -> l.startsWith("Server warming/media02 is UP"))) {
                up[1] = System.nanoTime();
                waiting(haproxyPort, 10);
            }
            Thread.sleep(20);
        }
        assertTrue(up[0] > 0 && up[1] > 0, "both brought media02 back");
        // Sample each half-way between two of its warm-up steps, at 0.5 s .. 10.5 s after its UP.
        for (int k = 0; k <= 10; k++) {
            for (int i = 0; i < 2; i++) {
                long at = up[i] + (k * 1000L + 500L) * 1_000_000L;
                long wait = (at - System.nanoTime()) / 1_000_000L;
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                counts.get(i).add(onMedia02(sources[i]));
            }
        }
        List<String> upLines = rig.messagePair(log, "Server warming/media02 is UP", 0).stream()
                .map(m -> m.replaceAll("check duration: \\d+ms", "check duration: Nms")).toList();
        assertEquals(upLines.get(1), upLines.get(0), "rtmp-router's UP line, then HAProxy's");
        // rtmp-router follows the ramp HAProxy documents: max(1, 10 x elapsed / 10) at each second.
        assertEquals(List.of(1L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), counts.get(0), "rtmp-router: " + counts);
        // Debian's HAProxy 2.6.12 starts the same, then lets waiting clients in faster than its own
        // ramp (measured 1, 1, 2, 4, 7, 10, ...: a slot its warm-up gives is not counted against the
        // next step), never slower: a documented Difference.
        List<Long> theirs = counts.get(1);
        assertEquals(counts.get(0).subList(0, 3), theirs.subList(0, 3), "the first steps, both: " + counts);
        for (int k = 0; k < theirs.size(); k++) {
            assertTrue(theirs.get(k) >= counts.get(0).get(k), "HAProxy never slower, at " + k + ".5 s: " + counts);
        }
        assertEquals(10L, theirs.get(theirs.size() - 1));
    }
}
