package io.rtmprouter.scenario;

import io.rtmprouter.testing.Programs;
import io.rtmprouter.testing.ScenarioRig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Health checks against real nginx-rtmp origins, rtmp-router and Debian's HAProxy side by side on
 * the same configuration: the same DOWN and UP messages (check durations aside) for an HTTP check
 * of nginx's health page answering 503, a tcp-check of that page, and a tcp-check of the RTMP
 * handshake of an nginx frozen with SIGSTOP; and while media01 is DOWN, every client of either
 * proxy goes to media02.
 */
class HealthCheckScenarioTest {
    @RegisterExtension
    static final ScenarioRig rig = ScenarioRig.withOrigins("health", "session");

    /** One pair of proxies on one configuration; `name` is their listen section's, its own in each test. */
    record Pair(String name, int routerPort, int haproxyPort, Path haproxyLog) {
    }

    private static String config(String name, int port, String checks, String servers) {
        return ScenarioRig.LOGGED_TCP_DEFAULTS + """
                 timeout check 500ms
                listen %s
                 bind 127.0.0.1:%d
                %s
                %s""".formatted(name, port, checks, servers);
    }

    /** media01 and media02, checked every 200 ms, with these parameters. */
    private static String origins(String serverParams) {
        return " server media01 127.0.1.1:1935 check inter 200ms fall 2 rise 2 " + serverParams + "\n"
                + " server media02 127.0.1.2:1935 check inter 200ms fall 2 rise 2 " + serverParams + "\n";
    }

    private static Pair start(String name, String checks, String serverParams) throws IOException {
        return startWith(name, checks, origins(serverParams));
    }

    private static Pair startWith(String name, String checks, String servers) throws IOException {
        return startEach(name, checks, checks, servers);
    }

    /** The router with `ourChecks`, HAProxy with `theirChecks`: for a check only rtmp-router has. */
    private static Pair startEach(String name, String ourChecks, String theirChecks, String servers) throws IOException {
        int routerPort = ScenarioRig.freePort();
        int haproxyPort = ScenarioRig.freePort();
        rig.router(config(name, routerPort, ourChecks, servers));
        Path log = rig.haproxy(name, config(name, haproxyPort, theirChecks, servers));
        return new Pair(name, routerPort, haproxyPort, log);
    }

    @AfterEach
    void originsBackToHealth() {
        rig.origins().freeze(0, false);
        rig.origins().freeze(1, false);
        rig.origins().reportDown(0, false);
    }

    /** The next message about `server` going `state` ("DOWN", "UP") from each proxy, durations masked. */
    private static List<String> transition(Pair pair, String server, String state, int seen) throws Exception {
        String fragment = "Server " + pair.name() + "/" + server + " is " + state + ",";
        String ours = unquote(rig.log().await(10_000, fragment, "msg=")).replaceAll("check duration: \\d+ms", "check duration: Nms");
        long deadline = System.currentTimeMillis() + 10_000;
        List<String> theirs = List.of();
        while (System.currentTimeMillis() < deadline) {
            theirs = Files.readAllLines(pair.haproxyLog()).stream().filter(l -> l.startsWith(fragment)).toList();
            if (theirs.size() > seen) {
                break;
            }
            Thread.sleep(50);
        }
        assertTrue(theirs.size() > seen, "HAProxy logged no '" + fragment + "':\n" + Files.readString(pair.haproxyLog()));
        return List.of(ours, theirs.get(seen).replaceAll("check duration: \\d+ms", "check duration: Nms"));
    }

    /** The msg="..." of a router log line, unescaped. */
    private static String unquote(String line) {
        int start = line.indexOf("msg=\"") + 5;
        StringBuilder s = new StringBuilder();
        for (int i = start; i < line.length() && line.charAt(i) != '"'; i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                c = line.charAt(++i);
            }
            s.append(c);
        }
        return s.toString();
    }

    /** An RTMP C0+C1: version 3 and 1536 bytes of zeros. */
    private static byte[] c0c1() {
        byte[] b = new byte[1537];
        b[0] = 3;
        return b;
    }

    /** A client connected through the proxy on `port` that has sent its C0+C1. */
    private static Socket handshaking(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        s.setSoTimeout(5000);
        s.getOutputStream().write(c0c1());
        return s;
    }

    /** A client that connects, sends C0+C1, reads S0 and leaves: logged with its server by both proxies. */
    private static void touch(int port) throws IOException {
        try (Socket s = handshaking(port)) {
            InputStream in = s.getInputStream();
            assertEquals(3, in.read(), "S0 from the origin");
        }
    }

    /** While media01 is DOWN, six clients of each proxy: all must be logged on media02. */
    private static void clientsAvoidMedia01(Pair pair) throws Exception {
        String frontend = "frontend=" + pair.name() + " ";
        int before = rig.log().matching(l -> l.contains("event=end") && l.contains(frontend)).size();
        for (int i = 0; i < 6; i++) {
            touch(pair.routerPort());
            touch(pair.haproxyPort());
        }
        long deadline = System.currentTimeMillis() + 5000;
        List<String> ours = List.of();
        List<String> theirs = List.of();
        while (System.currentTimeMillis() < deadline) {
            List<String> ends = rig.log().matching(l -> l.contains("event=end") && l.contains(frontend));
            ours = ends.subList(before, ends.size()).stream().map(l -> l.replaceAll(".* server=(\\S+) .*", "$1")).toList();
            String route = " " + pair.name() + " " + pair.name() + "/";
            theirs = Files.readAllLines(pair.haproxyLog()).stream().filter(l -> l.contains(route))
                    .map(l -> l.substring(l.indexOf(route) + route.length()).split(" ")[0]).toList();
            if (ours.size() >= 6 && theirs.size() >= 6) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals(List.of("media02", "media02", "media02", "media02", "media02", "media02"), ours, "rtmp-router");
        assertEquals(List.of("media02", "media02", "media02", "media02", "media02", "media02"),
                theirs.subList(theirs.size() - 6, theirs.size()), "HAProxy");
    }

    private static void assertSame(List<String> oursAndTheirs) {
        assertEquals(oursAndTheirs.get(1), oursAndTheirs.get(0), "rtmp-router's message, then HAProxy's");
    }

    @Test
    void anHttpCheckOfNginxsHealthPageTakesA503ServerOutAndBackAsHaproxyDoes() throws Exception {
        Pair pair = start("web", " option httpchk GET /health\n http-check expect status 200", "port 8080");
        Thread.sleep(600);
        rig.origins().reportDown(0, true);
        List<String> down = transition(pair, "media01", "DOWN", 0);
        assertSame(down);
        assertTrue(down.get(0).startsWith("Server web/media01 is DOWN, reason: Layer7 wrong status, code: 503, info:"
                + " \"Service Temporarily Unavailable\", check duration: Nms. 1 active and 0 backup servers left."), down.get(0));
        clientsAvoidMedia01(pair);
        rig.origins().reportDown(0, false);
        List<String> up = transition(pair, "media01", "UP", 0);
        assertSame(up);
        assertEquals("Server web/media01 is UP, reason: Layer7 check passed, code: 200, check duration: Nms. 2 active"
                + " and 0 backup servers online. 0 sessions requeued, 0 total in queue.", up.get(0));
    }

    @Test
    void aTcpCheckOfTheHealthPageNamesTheStringItMissed() throws Exception {
        Pair pair = start("page", " option tcp-check\n tcp-check send \"GET /health HTTP/1.0\\r\\n\\r\\n\"\n"
                + " tcp-check expect string \"200 OK\"", "port 8080");
        Thread.sleep(600);
        rig.origins().reportDown(0, true);
        List<String> down = transition(pair, "media01", "DOWN", 0);
        assertSame(down);
        assertTrue(down.get(0).contains("reason: Layer7 invalid response, info: \"TCPCHK did not match content '200 OK'"
                + " at step 2\""), down.get(0));
        rig.origins().reportDown(0, false);
        assertSame(transition(pair, "media01", "UP", 0));
    }

    @Test
    void aTcpCheckOfTheRtmpHandshakeTakesAFrozenNginxOutAsHaproxyDoes() throws Exception {
        Pair pair = start("handshake", " option tcp-check\n tcp-check send-binary " + HexFormat.of().formatHex(c0c1())
                + "\n tcp-check expect binary 03", "");
        Thread.sleep(600);
        rig.origins().freeze(0, true);
        List<String> down = transition(pair, "media01", "DOWN", 0);
        assertSame(down);
        assertTrue(down.get(0).contains("reason: Layer7 timeout, info: \" at step 2 of tcp-check (expect binary '<03>')\""),
                down.get(0));
        clientsAvoidMedia01(pair);
        rig.origins().freeze(0, false);
        List<String> up = transition(pair, "media01", "UP", 0);
        assertSame(up);
        assertTrue(up.get(0).contains("reason: Layer7 check passed, code: 0, info: \"(tcp-check)\""), up.get(0));
    }


    /**
     * rtmp-router's own rtmp-check (handshake and connect to /live) beside HAProxy's closest, a
     * tcp-check of the handshake: both take the frozen nginx out and bring it back, with the
     * same transitions; only the reason's words are each one's.
     */
    @Test
    void rtmpCheckTakesAFrozenNginxOutAndBackAsHaproxysHandshakeCheckDoes() throws Exception {
        Pair pair = startEach("rtmpcheck", " option rtmp-check live", " option tcp-check\n tcp-check send-binary "
                + HexFormat.of().formatHex(c0c1()) + "\n tcp-check expect binary 03", origins(""));
        Thread.sleep(600);
        rig.origins().freeze(0, true);
        List<String> down = transition(pair, "media01", "DOWN", 0);
        assertEquals(down.get(1).replaceAll(", reason: .*?, check duration", ", reason: R, check duration"),
                down.get(0).replaceAll(", reason: .*?, check duration", ", reason: R, check duration"), "the same transition");
        assertTrue(down.get(0).contains("reason: Layer7 timeout, info: \"no RTMP handshake answer\""), down.get(0));
        clientsAvoidMedia01(pair);
        rig.origins().freeze(0, false);
        List<String> up = transition(pair, "media01", "UP", 0);
        assertTrue(up.get(0).contains("reason: Layer7 check passed, code: 0, info: \"NetConnection.Connect.Success\""),
                up.get(0));
        assertTrue(up.get(1).contains("reason: Layer7 check passed"), up.get(1));
    }

    /**
     * `addr`: media01's checks go to media02's address. Freezing media02 takes media01 out in
     * both proxies (and media02, checked at its own, too): the checks followed the address.
     */
    @Test
    void addrSendsTheChecksToAnotherAddressAsHaproxyDoes() throws Exception {
        Pair pair = startWith("addr", " option tcp-check\n tcp-check send-binary " + HexFormat.of().formatHex(c0c1())
                + "\n tcp-check expect binary 03", " server media01 127.0.1.1:1935 check addr 127.0.1.2 inter 200ms"
                + " fall 2 rise 2\n server media03 127.0.1.3:1935 check inter 200ms fall 2 rise 2\n");
        Thread.sleep(600);
        rig.origins().freeze(1, true);
        List<String> down = transition(pair, "media01", "DOWN", 0);
        assertSame(down);
        assertTrue(down.get(0).contains("reason: Layer7 timeout"), down.get(0));
        rig.origins().freeze(1, false);
        assertSame(transition(pair, "media01", "UP", 0));
    }

    /** An application the origin does not have: the connect is refused, and the server never comes up. */
    @Test
    void rtmpCheckOfAnApplicationTheOriginLacksKeepsItDown() throws Exception {
        int port = ScenarioRig.freePort();
        rig.router(config("noapp", port, " option rtmp-check nosuchapp",
                " server media01 127.0.1.1:1935 check inter 200ms fall 2 rise 2\n"));
        String down = unquote(rig.log().await(10_000, "Server noapp/media01 is DOWN,", "msg="));
        assertTrue(down.contains("reason: Layer7 invalid response, info: \"server closed the connection without"
                + " answering connect to 'nosuchapp'\""), down);
    }

    /** While its only server is DOWN, a client of each proxy finds no server: nobody reaches the DOWN one. */
    private static void noClientReaches(Pair pair) throws Exception {
        String frontend = "frontend=" + pair.name() + " ";
        try (Socket ours = new Socket("127.0.0.1", pair.routerPort()); Socket theirs = new Socket("127.0.0.1", pair.haproxyPort())) {
            ours.setSoTimeout(5000);
            theirs.setSoTimeout(5000);
            assertEquals(-1, readOrReset(ours), "rtmp-router closes");
            assertEquals(-1, readOrReset(theirs), "HAProxy closes");
        }
        rig.log().await(5000, "event=end", frontend, "term=no_server");
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline
                && Files.readAllLines(pair.haproxyLog()).stream().noneMatch(l -> l.contains(" " + pair.name() + "/<NOSRV> "))) {
            Thread.sleep(50);
        }
        assertTrue(Files.readAllLines(pair.haproxyLog()).stream().anyMatch(l -> l.contains(" " + pair.name() + "/<NOSRV> ")),
                "HAProxy logged its client with no server:\n" + Files.readString(pair.haproxyLog()));
    }

    private static int readOrReset(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }

    /**
     * `option pgsql-check` against Debian's PostgreSQL: a pg_hba.conf line rejecting the check's
     * user takes the server out with PostgreSQL's severity as info, as in HAProxy; without it the
     * server answers with an authentication request and comes back.
     */
    @Test
    void pgsqlCheckTakesAPostgresThatRejectsTheUserOutAndBackAsHaproxyDoes() throws Exception {
        java.nio.file.Path data = io.rtmprouter.testing.Databases.postgres(rig, "127.0.7.1");
        String reject = "host all checker 127.0.0.1/32 reject";
        io.rtmprouter.testing.Databases.pgHba(data, reject, true);
        Pair pair = startWith("pgsql", " option pgsql-check user checker",
                " server pg1 127.0.7.1:5432 check inter 200ms fall 2 rise 2\n");
        List<String> down = transition(pair, "pg1", "DOWN", 0);
        assertSame(down);
        assertTrue(down.get(0).contains("reason: Layer7 invalid response, info: \"FATAL\""), down.get(0));
        noClientReaches(pair);
        io.rtmprouter.testing.Databases.pgHba(data, reject, false);
        List<String> up = transition(pair, "pg1", "UP", 0);
        assertSame(up);
        assertTrue(up.get(0).contains("reason: Layer7 check passed, code: 0, info: \"PostgreSQL server is ok\""), up.get(0));
    }

    /**
     * `option mysql-check user haproxy` against Debian's MariaDB: while the user does not exist the
     * login is refused (1045) and the server is DOWN, as in HAProxy; once created, the server is UP.
     */
    @Test
    void mysqlCheckTakesAMariadbThatRefusesTheUserOutAndBackAsHaproxyDoes() throws Exception {
        java.nio.file.Path socket = io.rtmprouter.testing.Databases.mariadb(rig, "127.0.8.1");
        Pair pair = startWith("mysql", " option mysql-check user haproxy",
                " server db1 127.0.8.1:3306 check inter 200ms fall 2 rise 2\n");
        List<String> down = transition(pair, "db1", "DOWN", 0);
        assertSame(down);
        assertTrue(down.get(0).contains("reason: Layer7 wrong status, code: 1045, info: \"#28000Access denied for user"
                + " 'haproxy'@'127.0.0.1' (using password: NO)\""), down.get(0));
        noClientReaches(pair);
        io.rtmprouter.testing.Databases.mariadbSql(socket, "CREATE USER 'haproxy'@'127.0.0.1'");
        List<String> up = transition(pair, "db1", "UP", 0);
        assertSame(up);
        assertTrue(up.get(0).contains("reason: Layer7 check passed, code: 0, check duration"), up.get(0));
    }

    /** Debian's slapd on 127.0.9.1:3389 with this much configuration; stopped after the class's tests. */
    private static Process slapd(String extra) throws IOException {
        Path dir = rig.dir().resolve("slapd");
        Files.createDirectories(dir);
        Path conf = dir.resolve("slapd.conf");
        Files.writeString(conf, "include /etc/ldap/schema/core.schema\npidfile " + dir.resolve("slapd.pid") + "\n" + extra);
        Process p = rig.program(Programs.start(List.of("slapd", "-h", "ldap://127.0.9.1:3389/", "-f", conf.toString(),
                "-d", "0"), Map.of(), dir.resolve("slapd-" + System.nanoTime() + ".log")));
        ScenarioRig.awaitListening(3389);
        return p;
    }

    /**
     * `option ldap-check` against Debian's slapd: with anonymous binds disallowed, slapd answers
     * resultCode 48 and both proxies take the server out with the same words; restarted without,
     * it answers success and both bring it back.
     */
    @Test
    void ldapCheckTakesAnSlapdThatRefusesAnonymousBindsOutAndBackAsHaproxyDoes() throws Exception {
        Process refusing = slapd("disallow bind_anon\n");
        Pair pair = startWith("ldap", " option ldap-check", " server ldap1 127.0.9.1:3389 check inter 200ms fall 2 rise 2\n");
        List<String> down = transition(pair, "ldap1", "DOWN", 0);
        assertSame(down);
        assertTrue(down.get(0).contains("reason: Layer7 wrong status, code: 48, info: \"See RFC:"
                + " http://tools.ietf.org/html/rfc4511#section-4.1.9\""), down.get(0));
        noClientReaches(pair);
        Programs.stop(refusing);
        while (ScenarioRig.listening(3389)) {
            Thread.sleep(50);
        }
        slapd("");
        List<String> up = transition(pair, "ldap1", "UP", 0);
        assertSame(up);
        assertTrue(up.get(0).contains("reason: Layer7 check passed, code: 0, check duration"), up.get(0));
    }

    @Test
    void redisCheckTakesARedisThatAsksForAPasswordOutAndBackAsHaproxyDoes() throws Exception {
        Programs.require("redis-server");
        Programs.require("redis-cli");
        int port = ScenarioRig.freePort();
        rig.program(Programs.start(List.of("redis-server", "--bind", "127.0.6.1", "--port", Integer.toString(port),
                "--save", "", "--appendonly", "no"), Map.of(), rig.dir().resolve("redis.log")));
        long deadline = System.currentTimeMillis() + 10_000;
        while (!redis(port, "PING").equals("PONG") && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        Pair pair = startWith("cache", " option redis-check",
                " server redis1 127.0.6.1:" + port + " check inter 200ms fall 2 rise 2\n");
        Thread.sleep(600);
        assertEquals("OK", redis(port, "CONFIG", "SET", "requirepass", "secret"));
        List<String> down = transition(pair, "redis1", "DOWN", 0);
        assertSame(down);
        assertTrue(down.get(0).contains("reason: Layer7 timeout, check duration: Nms."), down.get(0));
        assertEquals("OK", redis(port, "-a", "secret", "--no-auth-warning", "CONFIG", "SET", "requirepass", ""));
        List<String> up = transition(pair, "redis1", "UP", 0);
        assertSame(up);
        assertTrue(up.get(0).contains("reason: Layer7 check passed, code: 0, info: \"Redis server is ok\""), up.get(0));
    }

    private static String redis(int port, String... command) {
        List<String> cmd = new java.util.ArrayList<>(List.of("redis-cli", "-h", "127.0.6.1", "-p", Integer.toString(port)));
        cmd.addAll(List.of(command));
        return Programs.run(cmd, Map.of(), java.time.Duration.ofSeconds(10)).stdout().strip();
    }

    @Test
    void onMarkedDownShutdownSessionsEndsTheSessionsOfADownServerAsHaproxyDoes() throws Exception {
        Pair pair = startWith("cut", " option httpchk GET /health",
                " server media01 127.0.1.1:1935 check port 8080 inter 200ms fall 2 rise 2 on-marked-down shutdown-sessions\n");
        Thread.sleep(600);
        try (Socket ours = open(pair.routerPort()); Socket theirs = open(pair.haproxyPort())) {
            rig.origins().reportDown(0, true);
            // HAProxy kills the sessions from other threads as it writes the message: it says 0 or 1
            // sessions active from one run to the next, so that count is masked here.
            List<String> down = transition(pair, "media01", "DOWN", 0).stream()
                    .map(m -> m.replaceAll("\\d+ sessions active", "N sessions active")).toList();
            assertSame(down);
            assertTrue(down.get(0).endsWith(" 0 active and 0 backup servers left. N sessions active, 0 requeued, 0 remaining"
                    + " in queue."), down.get(0));
            assertTrue(endsWithin(ours, 3000), "rtmp-router ended the session on the DOWN server");
            assertTrue(endsWithin(theirs, 3000), "HAProxy ended the session on the DOWN server");
        }
        rig.log().await(5000, "event=end", "frontend=cut ", "term=server_down");
    }

    /** A session to the backend's one server: connected, its handshake started, then left open. */
    private static Socket open(int port) throws IOException {
        Socket s = handshaking(port);
        assertEquals(3, s.getInputStream().read(), "S0 from the origin");
        return s;
    }

    /** Whether the connection ends (EOF or reset) within `millis`, once what the origin sent is read. */
    private static boolean endsWithin(Socket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        byte[] buf = new byte[4096];
        try {
            while (s.getInputStream().read(buf) >= 0) {
                // S1 and S2 of the handshake, then the end.
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void observeLayer4MarksDownAServerWhoseConnectionsFailWhileItsChecksPassAsHaproxyDoes() throws Exception {
        // media01's checks go to nginx's HTTP port, which answers; its RTMP port here has nothing behind it.
        int dead = ScenarioRig.freePort();
        Pair pair = startWith("observed", " option httpchk GET /health\n retries 0",
                " server media01 127.0.1.1:" + dead + " check port 8080 inter 2s fall 2 rise 2 observe layer4 error-limit 3"
                        + " on-error mark-down\n"
                        + " server media02 127.0.1.2:1935 check port 8080 inter 2s fall 2 rise 2\n");
        Thread.sleep(300);
        for (int proxy : new int[] {pair.routerPort(), pair.haproxyPort()}) {
            // Round robin sends every other client to media01: three of them fail there.
            for (int i = 0; i < 8; i++) {
                try (Socket s = handshaking(proxy)) {
                    s.getInputStream().read();
                } catch (IOException e) {
                    // A client of media01 is closed or reset: that is the failure being counted.
                }
            }
        }
        List<String> down = transition(pair, "media01", "DOWN", 0);
        assertSame(down);
        // "1 sessions active": HAProxy counts the connection whose failure set it off.
        assertEquals("Server observed/media01 is DOWN, reason: Health analyze, info: \"Detected 3 consecutive errors, last"
                + " one was: L4 unsuccessful connection\". 1 active and 0 backup servers left. 1 sessions active, 0 requeued,"
                + " 0 remaining in queue.", down.get(0));
    }

    @Test
    void sslHelloChkPassesATlsServerAndTakesOutAnHttpPortAsHaproxyDoes() throws Exception {
        Programs.require("openssl");
        Path pem = io.rtmprouter.testing.TestCertificates.rsa("origin.test").writePem(rig.dir().resolve("tls.pem"),
                io.rtmprouter.testing.TestCertificates.KeyFormat.PKCS8);
        int tls = ScenarioRig.freePort();
        rig.program(Programs.start(List.of("openssl", "s_server", "-quiet", "-accept", "127.0.7.1:" + tls, "-cert",
                pem.toString(), "-key", pem.toString()), Map.of(), rig.dir().resolve("s_server.log")));
        ScenarioRig.awaitListening(tls);
        Pair pair = startWith("hello", " option ssl-hello-chk",
                " server tls1 127.0.7.1:" + tls + " check inter 200ms fall 2 rise 2\n"
                        + " server web1 127.0.1.1:8080 check inter 200ms fall 2 rise 2\n");
        List<String> down = transition(pair, "web1", "DOWN", 0);
        assertSame(down);
        assertEquals("Server hello/web1 is DOWN, reason: Layer6 invalid response, check duration: Nms. 1 active and 0"
                + " backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.", down.get(0));
        Thread.sleep(1000);
        assertTrue(rig.log().matching(l -> l.contains("Server hello/tls1 is DOWN")).isEmpty(),
                "the TLS server, which answers an SSLv3 hello with an alert, stays UP");
        assertTrue(Files.readAllLines(pair.haproxyLog()).stream().noneMatch(l -> l.contains("hello/tls1 is DOWN")),
                "HAProxy keeps it UP too");
    }

    @Test
    void smtpchkBringsUpAPythonSmtpServerWithItsReplyAsHaproxyDoes() throws Exception {
        Programs.require("python3");
        int port = ScenarioRig.freePort();
        Pair pair = startWith("mail", " option smtpchk",
                " server smtp1 127.0.8.1:" + port + " check inter 200ms fall 1 rise 2\n");
        // Nothing listens yet: the first check takes it DOWN; then CPython's SMTP server starts.
        assertSame(transition(pair, "smtp1", "DOWN", 0));
        rig.program(Programs.start(List.of("python3", "-W", "ignore", "-m", "smtpd", "-n", "-c", "DebuggingServer",
                "127.0.8.1:" + port), Map.of(), rig.dir().resolve("smtpd.log")));
        List<String> up = transition(pair, "smtp1", "UP", 0);
        assertSame(up);
        assertTrue(up.get(0).startsWith("Server mail/smtp1 is UP, reason: Layer7 check passed, code: 221, info: \"Bye\""),
                up.get(0));
    }
}
