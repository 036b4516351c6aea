package io.rtmprouter.proxy;

import com.code_intelligence.jazzer.junit.FuzzTest;



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
        FuzzedSessions.run(fake, fake.client("127.0.0.5"), data);
    }
}
