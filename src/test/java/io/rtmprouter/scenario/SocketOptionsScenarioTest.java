package io.rtmprouter.scenario;

import io.rtmprouter.testing.HashingOrigin;
import io.rtmprouter.testing.Programs;
import io.rtmprouter.testing.ScenarioRig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * `option clitcpka|srvtcpka|tcpka` and `option nolinger` on real sockets, rtmp-router and Debian's
 * HAProxy side by side on the same configuration, each in front of its own origin: the kernel's
 * view (`ss`) of each proxy's client-side and server-side sockets must be the same.
 */
class SocketOptionsScenarioTest {
    @RegisterExtension
    static final ScenarioRig rig = ScenarioRig.withoutOrigins();

    /** One proxy under test: its listening port and the port of the origin only it connects to. */
    record Proxy(String name, int port, HashingOrigin origin) {
    }

    private static String config(int port, int originPort, String frontendOptions, String backendOptions) {
        return """
                defaults
                 mode tcp
                 timeout connect 2s
                 timeout client 10s
                 timeout server 10s
                frontend f
                 bind 127.0.0.1:%d
                 default_backend b
                %s
                backend b
                %s
                 server o 127.0.3.1:%d
                """.formatted(port, frontendOptions, backendOptions, originPort);
    }

    /** rtmp-router and HAProxy, each on the options, each with an origin that answers 1000 bytes after the client's FIN. */
    private static List<Proxy> start(String frontendOptions, String backendOptions) throws IOException {
        Programs.require("ss");
        HashingOrigin ours = rig.closedAfter(new HashingOrigin("127.0.3.1", 1000, 0));
        HashingOrigin theirs = rig.closedAfter(new HashingOrigin("127.0.3.1", 1000, 0));
        int routerPort = ScenarioRig.freePort();
        int haproxyPort = ScenarioRig.freePort();
        rig.router(config(routerPort, ours.port(), frontendOptions, backendOptions));
        rig.haproxy("port-" + haproxyPort, config(haproxyPort, theirs.port(), frontendOptions, backendOptions));
        ScenarioRig.awaitListening(haproxyPort);
        return List.of(new Proxy("rtmp-router", routerPort, ours), new Proxy("haproxy", haproxyPort, theirs));
    }

    /** `ss` lines of sockets in `state`, matching `filter`, without the header. */
    private static List<String> sockets(String state, String filter) {
        Programs.Result r = Programs.run(List.of("ss", "-tnoH", "state", state, filter), Map.of(), Duration.ofSeconds(10));
        assertEquals(0, r.exitCode(), r.describe());
        return Arrays.stream(r.stdout().split("\n")).filter(l -> !l.isBlank()).toList();
    }

    /** Whether each of the proxy's two sockets of an open session (to the client, to the origin) has a keep-alive timer. */
    private static List<Boolean> keepAliveTimers(Proxy p) throws Exception {
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", p.port()));
            client.getOutputStream().write("hello".getBytes());
            long deadline = System.currentTimeMillis() + 5000;
            while (p.origin().open.isEmpty() && System.currentTimeMillis() < deadline) {
                sleep(20);
            }
            assertEquals(1, p.origin().open.size(), p.name() + ": the session reached its origin");
            List<String> clientSide = sockets("established", "( sport = :" + p.port() + " )");
            List<String> serverSide = sockets("established", "( dport = :" + p.origin().port() + " )");
            assertEquals(1, clientSide.size(), p.name() + ": " + clientSide);
            assertEquals(1, serverSide.size(), p.name() + ": " + serverSide);
            return List.of(clientSide.get(0).contains("timer:(keepalive"), serverSide.get(0).contains("timer:(keepalive"));
        }
    }

    /** Bytes of the origin's answer each client got, in the order of the exchanges. */
    private static final List<String> answered = new ArrayList<>();

    /** An exchange (the client's FIN first, the origin's answer and FIN), then what waits in TIME_WAIT towards the origin. */
    private static int timeWaitsTowardsTheOrigin(Proxy p) throws Exception {
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", p.port()));
            client.getOutputStream().write("hello".getBytes());
            client.shutdownOutput();
            client.setSoTimeout(5000);
            InputStream in = client.getInputStream();
            long n = 0;
            while (in.read() >= 0) {
                n++;
            }
            answered.add(p.name() + "=" + n);
        }
        sleep(500);
        return sockets("time-wait", "( dport = :" + p.origin().port() + " )").size();
    }

    @Test
    void keepAliveTimersAreArmedOnTheSidesTheOptionsNameAsInHaproxy() throws Exception {
        // [frontend options, backend options]; `tcpka` in a frontend is clitcpka, in a backend srvtcpka.
        List<List<String>> cases = List.of(List.of("", ""), List.of(" option clitcpka", ""), List.of("", " option srvtcpka"),
                List.of(" option tcpka", " option tcpka"), List.of(" option tcpka", ""));
        List<List<Boolean>> expected = List.of(List.of(false, false), List.of(true, false), List.of(false, true),
                List.of(true, true), List.of(true, false));
        for (int i = 0; i < cases.size(); i++) {
            List<String> seen = new ArrayList<>();
            for (Proxy p : start(cases.get(i).get(0), cases.get(i).get(1))) {
                seen.add(p.name() + "=" + keepAliveTimers(p));
            }
            assertEquals(List.of("rtmp-router=" + expected.get(i), "haproxy=" + expected.get(i)), seen,
                    cases.get(i) + ": [client side, server side]");
        }
    }

    @Test
    void nolingerInTheBackendLeavesNoTimeWaitTowardsTheServerAsInHaproxy() throws Exception {
        for (String options : List.of("", " option nolinger")) {
            List<String> seen = new ArrayList<>();
            for (Proxy p : start("", options)) {
                seen.add(p.name() + "=" + timeWaitsTowardsTheOrigin(p));
            }
            int expected = options.isEmpty() ? 1 : 0;
            assertEquals(List.of("rtmp-router=" + expected, "haproxy=" + expected), seen,
                    "'" + options.strip() + "': sockets in TIME_WAIT towards the origin");
        }
        // Without nolinger the client's FIN is passed on and the answer comes back; with it, HAProxy
        // closes the server connection instead of half-closing it, and the answer never comes.
        assertEquals(List.of("rtmp-router=1000", "haproxy=1000", "rtmp-router=0", "haproxy=0"), answered);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
