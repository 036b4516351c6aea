package io.rtmprouter.proxy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.channel.embedded.EmbeddedChannel;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link ClientBytesFuzzTest} behind an `accept-proxy` bind: Netty's PROXY decoder and our
 * header stage first, then the same stages. A class of its own, since Jazzer fuzzes one target
 * per JVM. Seeds: PROXY v1 and v2 headers, each followed by an RTMP handshake.
 */
class ProxiedClientBytesFuzzTest {
    @FuzzTest(maxDuration = ClientBytesFuzzTest.FUZZ_TIME)
    void aProxiedClientsBytesEndItsSessionForAReasonOfItsOwn(byte[] data) throws Exception {
        FakeServers fake = FuzzedSessions.frontend();
        EmbeddedClient client = fake.proxiedClient("127.0.0.5");
        List<EmbeddedChannel> channels = new ArrayList<>(List.of(client));
        try {
            FuzzedSessions.writeInParts(client, data);
            fake.attempts.forEach(a -> channels.add(a.server()));
            FuzzedSessions.endEverything(client, channels);
            fake.fc.tunnels().stopAll();
            client.runPendingTasks();
            assertEquals(0, fake.fc.tunnels().size(), "every RTMPT session ended");
            FuzzedSessions.assertEachEndedForAReasonOfItsOwn(fake);
        } finally {
            channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        }
    }
}
