package io.rtmprouter.scenario;

import io.rtmprouter.testing.ScenarioRig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `disabled`, rtmp-router and Debian's HAProxy side by side on the same configuration: a disabled
 * frontend does not listen, and a session sent to a disabled backend (whose server, a real
 * nginx-rtmp, is up) finds no server and is closed.
 */
class DisabledProxyScenarioTest {
    @RegisterExtension
    static final ScenarioRig rig = ScenarioRig.withOrigins("session");

    private static String config(int off, int on) {
        return ScenarioRig.LOGGED_TCP_DEFAULTS + """
                frontend off
                 bind 127.0.0.1:%d
                 disabled
                 default_backend b
                frontend on
                 bind 127.0.0.1:%d
                 default_backend b
                backend b
                 disabled
                 server media01 127.0.1.1:1935
                """.formatted(off, on);
    }

    /** A client of the enabled frontend: how its connection ends, and after how many bytes from the proxy. */
    private static String howItEnds(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(3000);
            byte[] c0c1 = new byte[1537];
            c0c1[0] = 3;
            s.getOutputStream().write(c0c1);
            int n = 0;
            try {
                while (s.getInputStream().read() >= 0) {
                    n++;
                }
                return "closed after " + n + " bytes";
            } catch (java.net.SocketException e) {
                return "reset after " + n + " bytes";
            }
        }
    }

    @Test
    void aDisabledFrontendDoesNotListenAndADisabledBackendGivesNoServerAsInHaproxy() throws Exception {
        int[] ours = {ScenarioRig.freePort(), ScenarioRig.freePort()};
        int[] theirs = {ScenarioRig.freePort(), ScenarioRig.freePort()};
        rig.router(config(ours[0], ours[1]));
        Path log = rig.haproxy("disabled", config(theirs[0], theirs[1]));
        ScenarioRig.awaitListening(theirs[1]);
        assertEquals(List.of(false, true), List.of(ScenarioRig.listening(ours[0]), ScenarioRig.listening(ours[1])),
                "rtmp-router: off, on");
        assertEquals(List.of(false, true), List.of(ScenarioRig.listening(theirs[0]), ScenarioRig.listening(theirs[1])),
                "HAProxy: off, on");

        assertEquals("closed after 0 bytes", howItEnds(theirs[1]), "HAProxy gives the client no server");
        // The same end, but its form depends on timing: HAProxy has read the client's bytes and
        // closes with a FIN; rtmp-router may close with them still unread in the kernel, and then
        // Linux sends a reset instead.
        String ourEnd = howItEnds(ours[1]);
        assertTrue(ourEnd.equals("closed after 0 bytes") || ourEnd.equals("reset after 0 bytes"), ourEnd);
        rig.log().await(5000, "event=end", "frontend=on ", "backend=b ", "term=no_server");
        long until = System.currentTimeMillis() + 5000;
        while (Files.readAllLines(log).stream().noneMatch(l -> l.contains(" on b/<NOSRV> "))
                && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        assertTrue(Files.readAllLines(log).stream().anyMatch(l -> l.contains(" on b/<NOSRV> ")), Files.readString(log));
    }
}
