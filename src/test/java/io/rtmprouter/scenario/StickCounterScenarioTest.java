package io.rtmprouter.scenario;

import io.rtmprouter.testing.ScenarioRig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Stick counters protecting a real nginx-rtmp origin, rtmp-router and Debian's HAProxy side by
 * side with the same frontend: `tcp-request connection track-sc0 src` and a reject on the
 * tracked connection rate or on the connections the client holds. Each client is let in or
 * turned away at the same attempts by both.
 */
class StickCounterScenarioTest {
    @RegisterExtension
    static final ScenarioRig rig = ScenarioRig.withOrigins("session");

    private static String config(int port, String store, String reject) {
        return ScenarioRig.LOGGED_TCP_DEFAULTS + """
                frontend guarded
                 bind 127.0.0.1:%d
                 stick-table type ip size 100 expire 30s store %s
                 tcp-request connection track-sc0 src
                 tcp-request connection reject if { %s }
                 default_backend media
                backend media
                 server media01 127.0.1.1:1935
                """.formatted(port, store, reject);
    }

    /** A client that sends C0+C1 and is answered S0 by the origin was let in; one closed at once was not. */
    private static Socket attempt(int port) throws IOException {
        Socket s = new Socket();
        byte[] c0c1 = new byte[1537];
        c0c1[0] = 3;
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(c0c1);
            InputStream in = s.getInputStream();
            if (in.read() == 3) {
                return s;
            }
        } catch (IOException reset) {
            // A rejected client may see its connection reset, even before connect() returns (HAProxy).
        }
        s.close();
        return null;
    }

    /** Which of {@code n} attempts in a row are let in (each closed once answered). */
    private static String burst(int port, int n) throws IOException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Socket s = attempt(port);
            out.append(s != null ? 'A' : 'r');
            if (s != null) {
                s.close();
            }
        }
        return out.toString();
    }

    /**
     * Ten connections at once, one 2.3 s later (the first period's ten still weigh 1.7/2 of
     * their count), and five more 4.6 s after the first: by then the first period is out of reach.
     */
    private static List<String> rateHistory(int port) throws Exception {
        long start = System.nanoTime();
        List<String> history = new ArrayList<>();
        history.add(burst(port, 10));
        sleepUntil(start, 2300);
        history.add(burst(port, 1));
        sleepUntil(start, 4600);
        history.add(burst(port, 5));
        return history;
    }

    private static void sleepUntil(long start, long ms) throws InterruptedException {
        long left = ms - (System.nanoTime() - start) / 1_000_000;
        if (left > 0) {
            Thread.sleep(left);
        }
    }

    @Test
    void aConnectionRateLimitLetsInTheSameAttemptsAsHaproxy() throws Exception {
        int routerPort = ScenarioRig.freePort();
        int haproxyPort = ScenarioRig.freePort();
        String store = "conn_cur,conn_rate(2s)";
        String reject = "sc0_conn_rate gt 4";
        rig.router(config(routerPort, store, reject));
        rig.haproxy("rate", config(haproxyPort, store, reject));
        ScenarioRig.awaitListening(haproxyPort);

        List<String> expected = List.of("AAAArrrrrr", "r", "AAAAr");
        assertEquals(expected, rateHistory(haproxyPort), "HAProxy");
        assertEquals(expected, rateHistory(routerPort), "rtmp-router");
    }

    /** Three sessions held, then the first closed and a fourth tried. */
    private static String heldHistory(int port) throws Exception {
        List<Socket> held = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        try {
            for (int i = 0; i < 3; i++) {
                Socket s = attempt(port);
                out.append(s != null ? 'A' : 'r');
                if (s != null) {
                    held.add(s);
                }
            }
            held.remove(0).close();
            Thread.sleep(500); // the proxy sees the FIN and ends that session
            Socket s = attempt(port);
            out.append(s != null ? 'A' : 'r');
            if (s != null) {
                held.add(s);
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        return out.toString();
    }

    @Test
    void aLimitOnHeldConnectionsCountsOnlyTheOpenOnesAsHaproxy() throws Exception {
        int routerPort = ScenarioRig.freePort();
        int haproxyPort = ScenarioRig.freePort();
        String store = "conn_cur";
        String reject = "sc0_conn_cur gt 2";
        rig.router(config(routerPort, store, reject));
        rig.haproxy("held", config(haproxyPort, store, reject));
        ScenarioRig.awaitListening(haproxyPort);

        assertEquals("AArA", heldHistory(haproxyPort), "HAProxy");
        assertEquals("AArA", heldHistory(routerPort), "rtmp-router");
    }
}
