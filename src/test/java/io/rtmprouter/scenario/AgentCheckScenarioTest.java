package io.rtmprouter.scenario;

import io.rtmprouter.testing.Programs;
import io.rtmprouter.testing.ScenarioRig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `agent-check` beside Debian's HAProxy, both asking the same agent (src/test/scripts/agent.py)
 * about media01 every 200 ms: as the agent says down, up, drain, ready, maint and ready again,
 * both write the same messages, word for word but the check duration, and while it is down,
 * draining or in maintenance no client of either reaches it.
 */
class AgentCheckScenarioTest {
    @RegisterExtension
    static final ScenarioRig rig = ScenarioRig.withOrigins("health", "session");

    private static String config(int port, int agentPort) {
        return ScenarioRig.LOGGED_TCP_DEFAULTS + """
                listen agented
                 bind 127.0.0.1:%d
                 server media01 127.0.1.1:1935 agent-check agent-addr 127.0.0.1 agent-port %d agent-inter 200ms
                 server media02 127.0.1.2:1935
                """.formatted(port, agentPort);
    }

    /** The next message of each proxy that starts with `fragment`, after `seen` earlier ones; durations masked. */
    private static List<String> next(Path haproxyLog, String fragment, int seen) throws Exception {
        return rig.messagePair(haproxyLog, fragment, seen).stream()
                .map(m -> m.replaceAll("check duration: \\d+ms", "check duration: Nms")).toList();
    }

    /** Four clients through each proxy while media01 is out: the servers both logged for them. */
    private static void clientsGoToMedia02(int routerPort, int haproxyPort, Path haproxyLog) throws Exception {
        int oursBefore = rig.log().matching(l -> l.contains("event=end") && l.contains("frontend=agented ")).size();
        long theirsBefore = Files.readAllLines(haproxyLog).stream().filter(l -> l.contains(" agented agented/")).count();
        for (int i = 0; i < 4; i++) {
            for (int port : new int[] {routerPort, haproxyPort}) {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                    s.setSoTimeout(5000);
                    byte[] c0c1 = new byte[1537];
                    c0c1[0] = 3;
                    s.getOutputStream().write(c0c1);
                    assertEquals(3, s.getInputStream().read(), "S0 from the origin");
                }
            }
        }
        long deadline = System.currentTimeMillis() + 5000;
        List<String> ours = List.of();
        List<String> theirs = List.of();
        while (System.currentTimeMillis() < deadline) {
            List<String> ends = rig.log().matching(l -> l.contains("event=end") && l.contains("frontend=agented "));
            ours = ends.subList(oursBefore, ends.size()).stream().map(l -> l.replaceAll(".* server=(\\S+) .*", "$1")).toList();
            theirs = Files.readAllLines(haproxyLog).stream().filter(l -> l.contains(" agented agented/")).skip(theirsBefore)
                    .map(l -> l.substring(l.indexOf(" agented agented/") + 17).split(" ")[0]).toList();
            if (ours.size() >= 4 && theirs.size() >= 4) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals(List.of("media02", "media02", "media02", "media02"), ours, "rtmp-router");
        assertEquals(List.of("media02", "media02", "media02", "media02"), theirs, "HAProxy");
    }

    private static void same(List<String> oursAndTheirs) {
        assertEquals(oursAndTheirs.get(1), oursAndTheirs.get(0), "rtmp-router's message, then HAProxy's");
    }

    @Test
    void bothProxiesFollowTheAgentWithTheSameMessages() throws Exception {
        int agentPort = ScenarioRig.freePort();
        Path says = rig.dir().resolve("agent-says");
        Files.writeString(says, "up\n");
        rig.program(Programs.start(List.of("/usr/bin/python3", "src/test/scripts/agent.py", "127.0.0.1",
                Integer.toString(agentPort), says.toString()), Map.of(), rig.dir().resolve("agent.log")));
        ScenarioRig.awaitListening(agentPort);
        int routerPort = ScenarioRig.freePort();
        int haproxyPort = ScenarioRig.freePort();
        rig.router(config(routerPort, agentPort));
        Path log = rig.haproxy("agented", config(haproxyPort, agentPort));
        ScenarioRig.awaitListening(haproxyPort);
        Thread.sleep(500);

        Files.writeString(says, "down\n");
        List<String> down = next(log, "Server agented/media01 is DOWN", 0);
        same(down);
        assertTrue(down.get(0).contains("reason: Layer7 wrong status, code: 0, info: \"via agent : down\""), down.get(0));
        clientsGoToMedia02(routerPort, haproxyPort, log);
        Files.writeString(says, "up\n");
        same(next(log, "Server agented/media01 is UP,", 0));
        Files.writeString(says, "drain\n");
        same(next(log, "Server agented/media01 enters drain state", 0));
        clientsGoToMedia02(routerPort, haproxyPort, log);
        Files.writeString(says, "ready\n");
        same(next(log, "Server agented/media01 is UP (leaving forced drain)", 0));
        Files.writeString(says, "maint\n");
        same(next(log, "Server agented/media01 is going DOWN for maintenance", 0));
        clientsGoToMedia02(routerPort, haproxyPort, log);
        Files.writeString(says, "ready\n");
        same(next(log, "Server agented/media01 is UP/READY (leaving forced maintenance)", 0));
    }
}
