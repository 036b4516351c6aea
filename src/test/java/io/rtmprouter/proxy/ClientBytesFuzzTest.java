package io.rtmprouter.proxy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.channel.embedded.EmbeddedChannel;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A client's first bytes into a whole mode rtmp pipeline, whatever they are: detection, PROXY
 * headers refused, the RTMP handshake, the chunk stream, the AMF0 connect, or the RTMPT HTTP
 * path (requests, sessions, timers). The session ends for a reason of its own, nothing reaches the
 * end of a pipeline unhandled, no buffer leaks (the suite's leak detector). Seeds: ffmpeg and
 * rtmpdump sessions, an RTMPT open and send, PROXY v1 and v2 headers (read, behind an
 * `accept-proxy` bind; refused otherwise).
 */
class ClientBytesFuzzTest {
    /** Per run of scripts/test; scripts/fuzz runs it in rounds for longer. */
    static final String FUZZ_TIME = "10s";

    @FuzzTest(maxDuration = FUZZ_TIME)
    void aClientsBytesEndItsSessionForAReasonOfItsOwn(byte[] data) throws Exception {
        FakeServers fake = FuzzedSessions.frontend();
        EmbeddedClient client = fake.client("127.0.0.5");
        List<EmbeddedChannel> channels = new ArrayList<>(List.of(client));
        try {
            FuzzedSessions.writeInParts(client, data);
            fake.attempts.forEach(a -> channels.add(a.server()));
            FuzzedSessions.endEverything(client, channels);
            // A closed EmbeddedChannel cancels the timers of its loop, where the RTMPT sessions it
            // opened live (a real loop outlives its connections): end those by hand.
            fake.fc.tunnels().stopAll();
            client.runPendingTasks();
            assertEquals(0, fake.fc.tunnels().size(), "every RTMPT session ended");
            FuzzedSessions.assertEachEndedForAReasonOfItsOwn(fake);
        } finally {
            channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        }
    }
}
