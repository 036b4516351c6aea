package io.rtmprouter.health;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An agent's line, read as HAProxy 2.6's tcpcheck_agent_expect_reply reads it. */
class AgentReplyTest {
    @Test
    void wordsOfEachKindAndTheLastOfAKindWins() {
        assertEquals(new AgentReply("up", "drain", 75, 30, "", null), AgentReply.parse("down, 50%\tup drain 75% maxconn:30"));
        assertEquals(new AgentReply(null, null, -1, -1, "", null), AgentReply.parse(""));
        assertEquals(new AgentReply("stopped", "maint", -1, -1, "", null), AgentReply.parse("MAINT Stopped"));
    }

    @Test
    void aDescriptionFollowsASharpAfterADelimiterAndNamesTheChange() {
        AgentReply r = AgentReply.parse("down #gone for lunch");
        assertEquals("gone for lunch", r.description());
        assertEquals("via agent : down (gone for lunch)", r.info());
        // Glued to a word, the sharp is part of it: HAProxy reads "stopped#x" as a word it does not know.
        AgentReply glued = AgentReply.parse("stopped#x");
        assertEquals("stopped#x", glued.error());
        assertEquals(null, glued.health());
    }

    @Test
    void anUnknownWordIsKeptAsTheErrorAndShownWithAnUp() {
        AgentReply r = AgentReply.parse("up bogus other");
        assertEquals("bogus", r.error());
        assertEquals("via agent : up (bogus)", r.info());
        assertEquals("via agent : fail (bogus)", AgentReply.parse("fail bogus").info());
    }
}
