package io.rtmprouter.proxy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rtmprouter.testing.Captures;
import io.rtmprouter.testing.RtmpChunks;
import io.rtmprouter.testing.SimpleHandshake;

import java.util.ArrayList;
import java.util.List;

import static io.rtmprouter.testing.EmbeddedBytes.drainOutboundBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A server's answer to the router's own handshake, whatever it is, after a real client's
 * handshake and connect (ffmpeg's): the session is retried, refused or relayed, and ends for a
 * reason of its own. Seeds: a simple S0+S1+S2.
 */
class ServerAnswerFuzzTest {
    /** Per run of scripts/test; scripts/fuzz runs it in rounds for longer. */
    static final String FUZZ_TIME = "10s";

    @FuzzTest(maxDuration = FUZZ_TIME)
    void aServersHandshakeAnswerEndsTheSessionForAReasonOfItsOwn(byte[] data) throws Exception {
        FakeServers fake = FuzzedSessions.frontend();
        EmbeddedClient client = fake.client("127.0.0.5");
        List<EmbeddedChannel> channels = new ArrayList<>(List.of(client));
        try {
            client.writeInbound(Unpooled.wrappedBuffer(RtmpChunks.concat(new byte[] {3}, SimpleHandshake.c1(1))));
            client.writeInbound(Unpooled.wrappedBuffer(RtmpChunks.concat(SimpleHandshake.c1(2),
                    RtmpChunks.connect(Captures.connect("ffmpeg-play"), 128))));
            FakeServers.Attempt a = fake.attempt(0);
            channels.add(a.server());
            a.promise().setSuccess();
            drainOutboundBytes(a.server());
            FuzzedSessions.writeInParts(a.server(), data, client);
            fake.attempts.forEach(more -> {
                if (!channels.contains(more.server())) {
                    channels.add(more.server());
                }
            });
            FuzzedSessions.endEverything(client, channels);
            FuzzedSessions.assertEachEndedForAReasonOfItsOwn(fake);
            assertEquals(1, fake.logged.size(), "the session ended, once");
        } finally {
            channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        }
    }
}
