package io.rtmprouter.runtime;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rtmprouter.config.ConfigParser;
import io.rtmprouter.proxy.Router;
import io.rtmprouter.testing.EmbeddedBytes;
import io.rtmprouter.testing.LeakDetectionExtension;
import io.rtmprouter.testing.ScenarioRig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One runtime API client, byte for byte as HAProxy's CLI answers (measured with socat on 2.6.12). */
@ExtendWith(LeakDetectionExtension.class)
class RuntimeConversationTest {
    private static Router router;

    @BeforeAll
    static void start() throws Exception {
        router = Router.start(ConfigParser.parse("t.cfg", """
                defaults
                 mode tcp
                 timeout connect 1s
                 timeout client 1s
                 timeout server 1s
                listen l
                 bind 127.0.9.80:%d
                 stick-table type ip size 100 expire 30s
                 stick on src
                 server s1 127.0.9.81:1
                """.formatted(ScenarioRig.freePort())));
    }

    @AfterAll
    static void stop() {
        router.close();
    }

    private static EmbeddedChannel client(Level level) {
        return new EmbeddedChannel(RuntimeApiServer.handlers(new RuntimeCommands(router, "9.9"), level, 10_000));
    }

    private static void send(EmbeddedChannel ch, String s) {
        ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1));
    }

    @Test
    void oneLineIsAnsweredWithItsBlankLineThenTheConnectionCloses() {
        EmbeddedChannel ch = client(Level.OPERATOR);
        send(ch, "show version;show cli level\n");
        assertEquals("9.9\n\noperator\n\n", EmbeddedBytes.drainOutbound(ch));
        assertFalse(ch.isOpen());
    }

    @Test
    void promptKeepsItOpenWithAPromptAfterEachAnswerUntilQuit() {
        EmbeddedChannel ch = client(Level.OPERATOR);
        send(ch, "prompt\n");
        assertEquals("\n> ", EmbeddedBytes.drainOutbound(ch));
        send(ch, "show version\r\n");
        assertEquals("9.9\n\n> ", EmbeddedBytes.drainOutbound(ch));
        assertTrue(ch.isOpen());
        send(ch, "quit\n");
        assertEquals("", EmbeddedBytes.drainOutbound(ch));
        assertFalse(ch.isOpen());
    }

    @Test
    void aLevelLowersAndWhatItLacksIsDenied() {
        EmbeddedChannel ch = client(Level.OPERATOR);
        send(ch, "prompt\n");
        EmbeddedBytes.drainOutbound(ch);
        send(ch, "user;show cli level;show sess;operator\n");
        assertEquals("\nuser\n\nPermission denied\n\nPermission denied\n\n> ", EmbeddedBytes.drainOutbound(ch));
        ch.close();
    }

    @Test
    void aCommandItLacksGetsHaproxysUsage() {
        EmbeddedChannel ch = client(Level.ADMIN);
        send(ch, "set server l/s1 state drain\n");
        String answer = EmbeddedBytes.drainOutbound(ch);
        assertTrue(answer.startsWith("Unknown command, but maybe one of the following ones is a better match:\n"
                + "  operator                                : lower the level of the current CLI session to operator\n"),
                answer);
        assertTrue(answer.endsWith("  quit                                    : disconnect\n\n"), answer);
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedAndTheConnectionClosed() {
        EmbeddedChannel ch = client(Level.ADMIN);
        ByteBuf big = Unpooled.buffer();
        big.writeBytes(new byte[RuntimeApiServer.MAX_LINE + 10]);
        ch.writeInbound(big);
        assertEquals("Command line too long.\n\n", EmbeddedBytes.drainOutbound(ch));
        assertFalse(ch.isOpen());
    }

    @Test
    void anIdleClientIsClosedAtStatsTimeout() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(RuntimeApiServer.handlers(new RuntimeCommands(router, "9.9"),
                Level.ADMIN, 50));
        send(ch, "prompt\n");
        EmbeddedBytes.drainOutbound(ch);
        Thread.sleep(120);
        ch.runPendingTasks();
        ch.runScheduledPendingTasks();
        assertFalse(ch.isOpen());
    }

    @Test
    void showTableAsHaproxyWritesIt() throws Exception {
        router.stickTables().get("l").store(java.net.InetAddress.getByName("127.0.0.9").getAddress(), "s1");
        EmbeddedChannel ch = client(Level.OPERATOR);
        send(ch, "show table;show table l;show table nosuch\n");
        String[] answer = EmbeddedBytes.drainOutbound(ch).split("\n", -1);
        assertEquals("# table: l, type: ip, size:100, used:1", answer[0]);
        assertEquals("", answer[1]);
        assertEquals("# table: l, type: ip, size:100, used:1", answer[2]);
        assertTrue(answer[3].matches("0x[0-9a-f]{12}: key=127\\.0\\.0\\.9 use=0 exp=(29\\d{3}|30000) server_id=1"
                + " server_key=s1"), answer[3]);
        assertEquals("", answer[4]);
        assertEquals("No such table", answer[5]);
    }

    @Test
    void showStatTakesHaproxysFilterOfProxyTypeAndServer() {
        EmbeddedChannel ch = client(Level.ADMIN);
        send(ch, "show stat -1 4 -1\n");
        String[] lines = EmbeddedBytes.drainOutbound(ch).split("\n");
        assertTrue(lines[0].startsWith("# pxname,svname,qcur,"), lines[0]);
        assertEquals(2, lines.length, "the header and the one server row");
        assertTrue(lines[1].startsWith("l,s1,"), lines[1]);
    }
}
