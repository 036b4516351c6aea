package io.rtmprouter.scenario;

import io.rtmprouter.config.ConfigParser;
import io.rtmprouter.proxy.Router;
import io.rtmprouter.runtime.RuntimeApiServer;
import io.rtmprouter.testing.Programs;
import io.rtmprouter.testing.RtmpClients;
import io.rtmprouter.testing.ScenarioRig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime API through socat, as operators use it, beside Debian's HAProxy on the same
 * configuration: the same `show stat` header, `show info` fields, `show servers state` and
 * `show backend` headers; with two ffmpeg encoders live through the router, `show stat` and `show
 * sess` show them on the origins round robin chose, and once they end, `stot`, `bin` and `bout`
 * are what the session log lines of the same run say. Also the interactive `prompt` mode, a
 * `user`-level socket's "Permission denied", and HAProxy's answer to a command it lacks.
 */
class RuntimeApiScenarioTest {
    @RegisterExtension
    static final ScenarioRig rig = ScenarioRig.withOrigins("session");

    private static String config(Path socket, Path userSocket, int port) {
        return """
                global
                 stats socket %s mode 600 level admin
                 stats socket %s level user
                 stats timeout 5s
                """.formatted(socket, userSocket) + ScenarioRig.LOGGED_TCP_DEFAULTS + """
                listen live
                 bind 127.0.0.1:%d
                 balance roundrobin
                 server media01 127.0.1.1:1935 check inter 500ms
                 server media02 127.0.1.2:1935 check inter 500ms
                """.formatted(port);
    }

    private static String socat(Path socket, String input) {
        Programs.Result r = Programs.run(List.of("sh", "-c", "printf '" + input + "' | socat - UNIX-CONNECT:" + socket),
                Map.of(), Duration.ofSeconds(10));
        assertEquals(0, r.exitCode(), r.stderr());
        return r.stdout();
    }

    /** `show stat` as name → column → value. */
    private static Map<String, Map<String, String>> stat(Path socket) {
        String[] lines = socat(socket, "show stat\\n").split("\n");
        List<String> header = Arrays.asList(lines[0].substring(2).split(",", -1));
        Map<String, Map<String, String>> rows = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            String[] f = lines[i].split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int c = 0; c < header.size() && c < f.length; c++) {
                row.put(header.get(c), f[c]);
            }
            rows.put(f[0] + "/" + f[1], row);
        }
        return rows;
    }

    private static List<String> infoNames(String info) {
        List<String> names = new ArrayList<>();
        for (String l : info.split("\n")) {
            int colon = l.indexOf(": ");
            if (colon > 0) {
                names.add(l.substring(0, colon));
            }
        }
        return names;
    }

    private static long sumOfLogged(String field) {
        return rig.log().matching(l -> l.contains("event=end") && l.contains("frontend=live ")).stream()
                .mapToLong(l -> Long.parseLong(l.replaceAll(".* " + field + "=(\\d+) .*", "$1"))).sum();
    }

    /** Real ffprobe over RTMPT: its HTTP connections carry one session, and `show stat` counts one. */
    @Test
    void anRtmptPlayerIsOneSessionWhateverConnectionsCarryIt() throws Exception {
        int port = ScenarioRig.freePort();
        Router router = rig.router(ScenarioRig.RTMP_DEFAULTS + """
                listen tunnelled
                 bind 127.0.0.1:%d
                 server media01 127.0.1.1:1935
                """.formatted(port));
        Programs.Result probe = RtmpClients.ffprobe("rtmpt://127.0.0.1:" + port + "/vod/test.flv", "127.0.71.3");
        assertEquals(0, probe.exitCode(), probe.stderr());
        rig.log().await(10_000, "frontend=tunnelled ", "event=end", "proto=rtmpt");
        var traffic = router.frontends().get(0).traffic();
        long deadline = System.currentTimeMillis() + 10_000;
        while (traffic.current() != 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, traffic.current(), "scur back to 0 once the player is gone");
        assertEquals(rig.log().matching(l -> l.contains("frontend=tunnelled ") && l.contains("event=end")).size(),
                traffic.total(), "stot: the sessions logged, not the HTTP connections that carried them");
        assertEquals(1, traffic.total());
    }

    @Test
    void operatorsSeeTheFarmAsHaproxyShowsIt() throws Exception {
        Path ours = rig.dir().resolve("router.sock");
        Path oursUser = rig.dir().resolve("router-user.sock");
        Path theirs = rig.dir().resolve("haproxy.sock");
        Path theirsUser = rig.dir().resolve("haproxy-user.sock");
        int routerPort = ScenarioRig.freePort();
        int haproxyPort = ScenarioRig.freePort();
        String ourConfig = config(ours, oursUser, routerPort);
        Router router = rig.router(ourConfig);
        rig.closedAfter(RuntimeApiServer.start(router, ConfigParser.parse("router.cfg", ourConfig).global().stats(),
                "test"));
        rig.haproxy("api", config(theirs, theirsUser, haproxyPort));
        ScenarioRig.awaitListening(haproxyPort);
        Thread.sleep(1500); // both have checked both origins

        assertEquals(socat(theirs, "show stat\\n").split("\n")[0], socat(ours, "show stat\\n").split("\n")[0],
                "show stat's header");
        assertEquals(infoNames(socat(theirs, "show info\\n")), infoNames(socat(ours, "show info\\n")),
                "show info's fields");
        assertEquals(socat(theirs, "show servers state\\n").split("\n")[1],
                socat(ours, "show servers state\\n").split("\n")[1], "show servers state's header");
        assertEquals(socat(theirs, "show backend\\n"), socat(ours, "show backend\\n"));
        Map<String, Map<String, String>> idle = stat(ours);
        assertEquals("UP", idle.get("live/media01").get("status"));
        assertEquals("L4OK", idle.get("live/media01").get("check_status"));
        assertEquals("Layer4 check passed", idle.get("live/media01").get("check_desc"));
        assertEquals("0", idle.get("live/FRONTEND").get("stot"));

        Process a = rig.program(RtmpClients.publish("rtmp://127.0.0.1:" + routerPort + "/live/api-a", "127.0.71.1",
                rig.dir().resolve("ffmpeg-a.log")));
        Thread.sleep(300);
        Process b = rig.program(RtmpClients.publish("rtmp://127.0.0.1:" + routerPort + "/live/api-b", "127.0.71.2",
                rig.dir().resolve("ffmpeg-b.log")));
        long deadline = System.currentTimeMillis() + 15_000;
        Map<String, Map<String, String>> live = stat(ours);
        while (!live.get("live/FRONTEND").get("scur").equals("2") && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            live = stat(ours);
        }
        assertEquals("2", live.get("live/FRONTEND").get("scur"));
        assertEquals("1", live.get("live/media01").get("scur"), "round robin: one encoder on each origin");
        assertEquals("1", live.get("live/media02").get("scur"));
        assertEquals("2", live.get("live/BACKEND").get("scur"));
        Thread.sleep(1000);
        Map<String, Map<String, String>> later = stat(ours);
        assertTrue(Long.parseLong(later.get("live/FRONTEND").get("bin")) > Long.parseLong(live.get("live/FRONTEND").get("bin")),
                "bin moves while the encoders send");
        String sess = socat(ours, "show sess\\n");
        assertEquals(2, sess.lines().filter(l -> l.contains(" fe=live be=live srv=media0")).count(), sess);
        assertEquals("Permission denied\n\n", socat(oursUser, "show sess\\n"));
        assertEquals(socat(theirsUser, "show sess\\n"), socat(oursUser, "show sess\\n"), "as HAProxy's user level");

        a.destroy();
        b.destroy();
        deadline = System.currentTimeMillis() + 15_000;
        while (rig.log().matching(l -> l.contains("event=end") && l.contains("frontend=live ")).size() < 2
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        Map<String, Map<String, String>> after = stat(ours);
        assertEquals("0", after.get("live/FRONTEND").get("scur"));
        assertEquals("2", after.get("live/FRONTEND").get("stot"));
        assertEquals("2", after.get("live/FRONTEND").get("smax"));
        assertEquals("1", after.get("live/media01").get("stot"));
        assertEquals("1", after.get("live/media02").get("stot"));
        assertEquals(Long.toString(sumOfLogged("bytes_in")), after.get("live/FRONTEND").get("bin"),
                "bin is what the session lines say came from the clients");
        assertEquals(Long.toString(sumOfLogged("bytes_out")), after.get("live/FRONTEND").get("bout"));
        assertEquals(after.get("live/FRONTEND").get("bin"), after.get("live/BACKEND").get("bin"));
        assertEquals(Long.parseLong(after.get("live/BACKEND").get("bin")),
                Long.parseLong(after.get("live/media01").get("bin")) + Long.parseLong(after.get("live/media02").get("bin")));

        assertEquals("\n> test\n\n> ", socat(ours, "prompt\\nshow version\\nquit\\n"));
        assertTrue(socat(ours, "set server live/media01 state drain\\n")
                .startsWith("Unknown command, but maybe one of the following ones is a better match:\n"));
        assertEquals("user\n\n", socat(oursUser, "show cli level\\n"));
    }
}
