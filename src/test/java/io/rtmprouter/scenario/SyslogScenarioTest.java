package io.rtmprouter.scenario;

import io.rtmprouter.testing.ScenarioRig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.rtmprouter.testing.Programs;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `log ADDR local0` with `option tcplog`, beside Debian's HAProxy: one session of each proxy to
 * nginx-rtmp (a handshake, then the client closes), received by UDP sockets of the test. Both
 * lines parse with the same regular expression, an rfc3164 and an rfc5424 one, and agree field by
 * field but the times, the port and the pid. The failing checks of a backup server give the same
 * DOWN line from both, at alert.
 */
class SyslogScenarioTest {
    @RegisterExtension
    static final ScenarioRig rig = ScenarioRig.withOrigins("session");

    /** HAProxy's rfc3164 header and its TCP log format. */
    static final Pattern RFC3164_TCPLOG = Pattern.compile("<(\\d+)>(\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d) (\\S+)\\[(\\d+)\\]: "
            + "([\\d.]+):(\\d+) \\[(\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d\\.\\d{3})\\] (\\S+) (\\S+)/(\\S+) "
            + "(-?\\d+)/(-?\\d+)/(\\+?\\d+) (\\d+) (\\S\\S) (\\d+)/(\\d+)/(\\d+)/(\\d+)/(\\+?\\d+) (\\d+)/(\\d+)\n");
    static final Pattern RFC5424 = Pattern.compile("<(\\d+)>1 (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}[+-]\\d\\d:\\d\\d)"
            + " - (\\S+) (\\d+) - - (.*)\n");

    private static String config(int port, int rfc3164Port, int rfc5424Port) {
        return """
                global
                 log 127.0.9.91:%d local0
                 log 127.0.9.91:%d format rfc5424 local1 info
                 log-tag edge
                """.formatted(rfc3164Port, rfc5424Port) + """
                defaults
                 mode tcp
                 log global
                 option tcplog
                 timeout connect 1s
                 timeout client 10s
                 timeout server 10s
                listen logged
                 bind 127.0.0.1:%d
                 server media01 127.0.1.1:1935
                 server media09 127.0.1.9:1935 check inter 300ms backup
                """.formatted(port);
    }

    /** Debian's rsyslogd on a UDP input of its own, writing what it parsed of each line to `out`. */
    private static void rsyslog(int port, Path out) throws Exception {
        Path conf = Files.writeString(rig.dir().resolve("rsyslog.conf"), """
                global(workDirectory="%s")
                module(load="imudp")
                input(type="imudp" address="127.0.9.92" port="%d")
                template(name="fields" type="string" string="%%programname%%|%%syslogfacility-text%%|%%syslogseverity-text%%|%%msg%%\\n")
                *.* action(type="omfile" file="%s" template="fields")
                """.formatted(rig.dir(), port, out));
        rig.program(Programs.start(List.of("rsyslogd", "-n", "-f", conf.toString(), "-i",
                rig.dir().resolve("rsyslog.pid").toString()), Map.of(), rig.dir().resolve("rsyslogd.log")));
        Thread.sleep(1000);
    }

    @Test
    void rsyslogReadsBothFormats() throws Exception {
        int udp = ScenarioRig.freePort();
        Path out = rig.dir().resolve("rsyslog-out.log");
        rsyslog(udp, out);
        int port = ScenarioRig.freePort();
        rig.router("""
                global
                 log 127.0.9.92:%d local0
                 log 127.0.9.92:%d format rfc5424 local1
                 log-tag edge
                """.formatted(udp, udp) + """
                defaults
                 mode tcp
                 log global
                 option tcplog
                 timeout connect 1s
                 timeout client 10s
                 timeout server 10s
                listen syslogged
                 bind 127.0.0.1:%d
                 server media01 127.0.1.1:1935
                """.formatted(port));
        handshakeThenClose(port);
        long deadline = System.currentTimeMillis() + 10_000;
        List<String> lines = List.of();
        while (System.currentTimeMillis() < deadline) {
            lines = Files.exists(out) ? Files.readAllLines(out) : List.of();
            if (lines.size() >= 2) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(2, lines.size(), "rsyslog wrote: " + lines);
        for (String l : lines) {
            String[] f = l.split("\\|", 4);
            assertEquals("edge", f[0], l);
            assertEquals("info", f[2], l);
            // The message is HAProxy's TCP log line, whichever the format.
            parsed(RFC3164_TCPLOG, "<0>Jan  1 00:00:00 t[1]: " + f[3].strip() + "\n");
        }
        assertEquals(List.of("local0", "local1"), lines.stream().map(l -> l.split("\\|")[1]).sorted().toList());
    }

    private static DatagramSocket receiver(int port) throws Exception {
        DatagramSocket s = rig.closedAfter(new DatagramSocket(new InetSocketAddress("127.0.9.91", port)));
        s.setSoTimeout(10_000);
        return s;
    }

    /** The next datagram that contains `fragment`; the others are passed over. */
    private static String receive(DatagramSocket s, String fragment) throws Exception {
        while (true) {
            DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
            s.receive(p);
            String line = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            if (line.contains(fragment)) {
                return line;
            }
        }
    }

    private static void handshakeThenClose(int port) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            byte[] c0c1 = new byte[1537];
            c0c1[0] = 3;
            s.getOutputStream().write(c0c1);
            byte[] s0s1s2 = s.getInputStream().readNBytes(3073);
            assertEquals(3073, s0s1s2.length);
        }
    }

    private static Matcher parsed(Pattern p, String line) {
        Matcher m = p.matcher(line);
        assertTrue(m.matches(), "does not parse: " + line);
        return m;
    }

    @Test
    void bothProxiesSendTheSameTcplogLine() throws Exception {
        int routerPort = ScenarioRig.freePort();
        int haproxyPort = ScenarioRig.freePort();
        int[] ports = {ScenarioRig.freePort(), ScenarioRig.freePort(), ScenarioRig.freePort(), ScenarioRig.freePort()};
        DatagramSocket ours3164 = receiver(ports[0]);
        DatagramSocket ours5424 = receiver(ports[1]);
        DatagramSocket theirs3164 = receiver(ports[2]);
        DatagramSocket theirs5424 = receiver(ports[3]);
        rig.router(config(routerPort, ports[0], ports[1]));
        // ScenarioRig's own global section comes first; HAProxy reads both.
        rig.haproxy("logged", config(haproxyPort, ports[2], ports[3]));
        ScenarioRig.awaitListening(haproxyPort);

        // The backup's checks fail: both send HAProxy's DOWN line, at alert (local0: 129).
        Pattern down = Pattern.compile("<129>\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d edge\\[\\d+\\]: (Backup Server logged/media09"
                + " is DOWN, .*)\n");
        String ourDown = parsed(down, receive(ours3164, "media09 is DOWN")).group(1);
        String theirDown = parsed(down, receive(theirs3164, "media09 is DOWN")).group(1);
        assertEquals(theirDown.replaceAll("check duration: \\d+ms", "check duration: Nms"),
                ourDown.replaceAll("check duration: \\d+ms", "check duration: Nms"));

        handshakeThenClose(routerPort);
        handshakeThenClose(haproxyPort);
        Matcher ours = parsed(RFC3164_TCPLOG, receive(ours3164, " logged logged/"));
        Matcher theirs = parsed(RFC3164_TCPLOG, receive(theirs3164, " logged logged/"));
        // Fields: 1 PRI, 3 tag, 5 client IP, 8 frontend, 9 backend, 10 server, 14 bytes, 15 termination,
        // 16..20 actconn/feconn/beconn/srv_conn/retries, 21..22 queues. Times (11..13), dates, port and pid differ.
        for (int field : new int[] {1, 3, 5, 8, 9, 10, 14, 15, 16, 17, 18, 19, 20, 21, 22}) {
            assertEquals(theirs.group(field), ours.group(field), "field " + field + "\nours:   " + ours.group()
                    + "theirs: " + theirs.group());
        }
        assertEquals("134", ours.group(1), "local0.info");
        assertTrue(!ours.group(12).equals("-1") && !theirs.group(12).equals("-1"), "a session that connected has Tc");

        Matcher ours2 = parsed(RFC5424, receive(ours5424, " logged logged/"));
        Matcher theirs2 = parsed(RFC5424, receive(theirs5424, " logged logged/"));
        assertEquals(theirs2.group(1), ours2.group(1), "local1.info");
        assertEquals(theirs2.group(3), ours2.group(3), "the tag");
        Matcher oursMsg = parsed(RFC3164_TCPLOG, "<0>Jan  1 00:00:00 t[1]: " + ours2.group(5) + "\n");
        Matcher theirsMsg = parsed(RFC3164_TCPLOG, "<0>Jan  1 00:00:00 t[1]: " + theirs2.group(5) + "\n");
        assertEquals(theirsMsg.group(15), oursMsg.group(15));
        assertEquals(theirsMsg.group(14), oursMsg.group(14));
    }
}
