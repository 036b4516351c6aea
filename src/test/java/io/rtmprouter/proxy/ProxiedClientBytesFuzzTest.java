package io.rtmprouter.proxy;

import com.code_intelligence.jazzer.junit.FuzzTest;



/**
 * {@link ClientBytesFuzzTest} behind an `accept-proxy` bind: Netty's PROXY decoder and our
 * header stage first, then the same stages. A class of its own, since Jazzer fuzzes one target
 * per JVM. Seeds: PROXY v1 and v2 headers, each followed by an RTMP handshake.
 */
class ProxiedClientBytesFuzzTest {
    @FuzzTest(maxDuration = ClientBytesFuzzTest.FUZZ_TIME)
    void aProxiedClientsBytesEndItsSessionForAReasonOfItsOwn(byte[] data) throws Exception {
        FakeServers fake = FuzzedSessions.frontend();
        FuzzedSessions.run(fake, fake.proxiedClient("127.0.0.5"), data);
    }
}
