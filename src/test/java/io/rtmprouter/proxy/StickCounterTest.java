package io.rtmprouter.proxy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `track-sc` rules and counter fetches on the session pipeline, as the router builds it. */
class StickCounterTest {
    private static final String LISTEN = """
            listen l
             mode tcp
             bind :1935
             stick-table type ip size 10 expire 30s store %s
             tcp-request connection track-sc0 src
            %s
             server s1 10.0.0.1:1936
            """;

    @Test
    void aClientHoldingItsLimitIsRefusedUntilOneOfItsSessionsEnds() throws Exception {
        FakeServers fake = new FakeServers(LISTEN.formatted("conn_cur", " tcp-request connection reject if { sc0_conn_cur gt 1 }"));
        EmbeddedClient first = fake.client("127.0.0.5");
        assertTrue(first.isOpen());
        EmbeddedClient second = fake.client("127.0.0.5");
        assertFalse(second.isOpen(), "its second connection counts 2");
        assertTrue(fake.lastLog().endsWith("term=rejected detail=\"tcp-request connection reject at t.cfg:6\""),
                fake.lastLog());
        EmbeddedClient other = fake.client("127.0.0.6");
        assertTrue(other.isOpen(), "another address has its own entry");

        first.close();
        first.runPendingTasks();
        EmbeddedClient third = fake.client("127.0.0.5");
        assertTrue(third.isOpen(), "the ended session and the refused one no longer count");
        third.finishAndReleaseAll();
        other.finishAndReleaseAll();
    }

    @Test
    void refusedConnectionsCountAsConnectionsButNotAsSessions() throws Exception {
        FakeServers fake = new FakeServers(LISTEN.formatted("conn_cnt,sess_cnt", """
                 tcp-request connection reject if { sc0_conn_cnt eq 2 }
                 tcp-request content reject if { sc0_sess_cnt ge 3 }
                """.stripTrailing()));
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            EmbeddedClient c = fake.client("127.0.0.5");
            c.runPendingTasks();
            outcomes.add(c.isOpen() ? "in" : fake.lastLog().replaceAll(".*detail=\"tcp-request (\\w+) reject.*", "$1"));
            c.finishAndReleaseAll();
        }
        // conn_cnt 1 2 3 4; sess_cnt 1 (1: refused at connection) 2 3
        assertEquals(List.of("in", "connection", "in", "content"), outcomes);
    }

    @Test
    void aSrcFetchLooksTheClientUpInAnotherProxysTableAndAnUnknownClientReadsZero() throws Exception {
        FakeServers fake = new FakeServers("""
                frontend f
                 mode tcp
                 bind :1935
                 tcp-request connection reject if { src_conn_cnt(l) ge 2 }
                 tcp-request content track-sc1 src table l
                 default_backend l
                backend l
                 mode tcp
                 stick-table type ip size 10 expire 30s store conn_cnt
                 server s1 10.0.0.1:1936
                """);
        List<Boolean> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            EmbeddedClient c = fake.client("127.0.0.5");
            c.runPendingTasks();
            open.add(c.isOpen());
            c.finishAndReleaseAll();
        }
        assertEquals(List.of(true, true, false), open, "no entry reads 0, then 1, then 2");
        EmbeddedClient other = fake.client("127.0.0.6");
        assertTrue(other.isOpen());
        other.finishAndReleaseAll();
    }
}
