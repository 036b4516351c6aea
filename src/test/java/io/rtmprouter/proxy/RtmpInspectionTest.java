package io.rtmprouter.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rtmprouter.proxy.inspect.ConnectReader;
import io.rtmprouter.proxy.route.HandshakeInitiator;
import io.rtmprouter.testing.AdobeDigest;
import io.rtmprouter.testing.Amf0TestEncoder;
import io.rtmprouter.testing.Captures;
import io.rtmprouter.testing.RtmpChunks;
import io.rtmprouter.testing.SimpleHandshake;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.rtmprouter.testing.AdobeDigest.PLAYER_KEY_TEXT;
import static io.rtmprouter.testing.AdobeDigest.SCHEME_0;
import static io.rtmprouter.testing.AdobeDigest.SCHEME_1;
import static io.rtmprouter.testing.AdobeDigest.SERVER_KEY;
import static io.rtmprouter.testing.AdobeDigest.SERVER_KEY_TEXT;
import static io.rtmprouter.testing.EmbeddedBytes.drainOutboundBytes;
import static io.rtmprouter.testing.RtmpChunks.concat;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mode rtmp stages on EmbeddedChannels, with exact bytes: the client's handshake answered,
 * its connect read, the session routed by it, the server's handshake performed, and every byte
 * the client sent after C2 replayed verbatim.
 */
class RtmpInspectionTest {
    private static final int SIZE = 1536;
    private static final String CONFIG = """
            frontend f
             mode rtmp
             bind :1935
             tcp-request inspect-delay 3s
             acl encoder rtmp.role publisher
             tcp-request content reject if { rtmp.app forbidden }
             use_backend upload if encoder
             default_backend pool
            backend pool
             mode rtmp
             retries 1
             option redispatch
             server a 10.0.0.1:1935
             server b 10.0.0.2:1935
            backend upload
             mode rtmp
             server c 10.0.0.3:1935
            """;

    private final FakeServers fake;

    RtmpInspectionTest() throws Exception {
        fake = new FakeServers(CONFIG);
    }

    private static void write(EmbeddedChannel ch, byte[] bytes) {
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    private static byte[] c0(byte[] c1) {
        return concat(new byte[] {3}, c1);
    }



    @Test
    void aScheme0DigestC1IsAnsweredWithADigestS1AndAnS2SignedOverTheClientsDigest() {
        EmbeddedClient c = fake.client("127.0.0.5");
        byte[] c1 = AdobeDigest.digestC1(new Random(1), SCHEME_0);
        write(c, Arrays.copyOf(c0(c1), 700));
        assertEquals(0, drainOutboundBytes(c).length, "nothing before the whole C1");
        write(c, Arrays.copyOfRange(c0(c1), 700, 1 + SIZE));

        byte[] answer = drainOutboundBytes(c);
        assertEquals(1 + 2 * SIZE, answer.length);
        assertEquals(3, answer[0]);
        byte[] s1 = Arrays.copyOfRange(answer, 1, 1 + SIZE);
        byte[] s2 = Arrays.copyOfRange(answer, 1 + SIZE, answer.length);
        assertTrue(AdobeDigest.digestValid(s1, SCHEME_0, SERVER_KEY_TEXT), "S1 carries a scheme-0 server digest");
        AdobeDigest.assertSigned(s2, AdobeDigest.digestAt(c1, SCHEME_0), SERVER_KEY);
        assertTrue(c.isOpen());
        assertEquals("C2", c.session().awaiting());
        c.finishAndReleaseAll();
    }

    @Test
    void aScheme1DigestC1GetsAScheme1Answer() {
        EmbeddedClient c = fake.client("127.0.0.5");
        byte[] c1 = AdobeDigest.digestC1(new Random(2), SCHEME_1);
        write(c, c0(c1));
        byte[] answer = drainOutboundBytes(c);
        byte[] s1 = Arrays.copyOfRange(answer, 1, 1 + SIZE);
        assertTrue(AdobeDigest.digestValid(s1, SCHEME_1, SERVER_KEY_TEXT));
        AdobeDigest.assertSigned(Arrays.copyOfRange(answer, 1 + SIZE, answer.length),
                AdobeDigest.digestAt(c1, SCHEME_1), SERVER_KEY);
        c.finishAndReleaseAll();
    }

    @Test
    void aSimpleC1GetsAZeroVersionS1AndItsOwnEchoAsS2() {
        EmbeddedClient c = fake.client("127.0.0.5");
        byte[] c1 = SimpleHandshake.c1(3);
        write(c, c0(c1));
        byte[] answer = drainOutboundBytes(c);
        assertArrayEquals(new byte[4], Arrays.copyOfRange(answer, 5, 9));
        assertArrayEquals(c1, Arrays.copyOfRange(answer, 1 + SIZE, answer.length));
        c.finishAndReleaseAll();
    }

    @Test
    void anFfmpegPublisherIsRoutedToUploadAndItsBytesAfterC2ReachTheServerVerbatimAfterOurHandshake()
            throws Exception {
        EmbeddedClient c = fake.client("127.0.0.5");
        write(c, c0(AdobeDigest.digestC1(new Random(4), SCHEME_0)));
        drainOutboundBytes(c);
        // ffmpeg's real publish connect, 138 bytes: two chunks at the default chunk size
        byte[] afterC2 = RtmpChunks.connect(Captures.connect("ffmpeg-publish"), 128);
        assertEquals(0xC3, afterC2[12 + 128] & 0xFF, "split with a fmt-3 continuation header");
        byte[] c2 = SimpleHandshake.c1(5);
        write(c, concat(c2, Arrays.copyOf(afterC2, 100)));
        assertEquals(0, fake.attempts.size(), "no server before connect is whole");
        assertEquals("connect", c.session().awaiting());
        write(c, Arrays.copyOfRange(afterC2, 100, afterC2.length));

        assertEquals(1, fake.attempts.size());
        FakeServers.Attempt a = fake.attempt(0);
        assertEquals("10.0.0.3", a.target().getHostString(), "publishers go to upload");
        a.promise().setSuccess();
        byte[] c0c1 = drainOutboundBytes(a.server());
        assertEquals(1 + SIZE, c0c1.length, "C0+C1 first, nothing of the client's yet");
        assertEquals(3, c0c1[0]);
        byte[] ourC1 = Arrays.copyOfRange(c0c1, 1, c0c1.length);
        assertTrue(AdobeDigest.digestValid(ourC1, SCHEME_0, PLAYER_KEY_TEXT), "we handshake in the digest form");

        byte[] serverAnswer = SimpleHandshake.serverAnswer(c0c1);
        a.server().writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(serverAnswer, 1 + SIZE)));
        byte[] c2ToServer = drainOutboundBytes(a.server());
        assertArrayEquals(Arrays.copyOfRange(serverAnswer, 1, 1 + SIZE), c2ToServer, "C2 echoes a simple S1");
        assertTrue(fake.routed.isEmpty(), "not routed until S2 has arrived");
        a.server().writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(serverAnswer, 1 + SIZE, serverAnswer.length)));

        assertArrayEquals(afterC2, drainOutboundBytes(a.server()), "the client's bytes, verbatim");
        assertEquals(0, drainOutboundBytes(c).length, "the server's handshake never reaches the client");
        assertNull(c.pipeline().get(ConnectReader.class));
        assertNull(a.server().pipeline().get(HandshakeInitiator.class));
        assertEquals(1, fake.routed.size());
        String routed = fake.routed.get(0);
        assertTrue(routed.startsWith("event=routed session="), routed);
        assertTrue(routed.contains(" client=127.0.0.5:40000 frontend=f backend=upload server=c proto=rtmp role=publisher"
                + " app=live tcurl=rtmp://127.0.0.1:35427/live flashver=\"FMLE/3.0 (compatible; Lavf59.27.100)\" "), routed);

        a.server().writeInbound(Unpooled.copiedBuffer("_result", US_ASCII));
        assertEquals("_result", new String(drainOutboundBytes(c), US_ASCII));
        write(c, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, drainOutboundBytes(a.server()));
        c.close();
        a.server().runPendingTasks();
        c.runPendingTasks();
        String end = fake.lastLog();
        assertTrue(end.contains(" proto=rtmp role=publisher app=live ") && end.endsWith("term=client_close"), end);
    }

    @Test
    void anObsLikeClientSettingChunkSize4096BeforeConnectIsAPublisher() {
        EmbeddedClient c = fake.client("127.0.0.6");
        byte[] connect = Amf0TestEncoder.obsConnect(1, "live", "rtmp://127.0.0.1/live");
        write(c, concat(c0(SimpleHandshake.c1(6)), SimpleHandshake.c1(7), RtmpChunks.setChunkSize(4096),
                RtmpChunks.connect(connect, 4096)));
        assertEquals("publisher", c.session().role());
        assertEquals("FMLE/3.0 (compatible; FMSc/1.0)", c.session().flashVer());
        assertEquals("10.0.0.3", fake.attempt(0).target().getHostString());
        c.finishAndReleaseAll();
    }

    @Test
    void anFfmpegPlayerGoesToThePoolAndAFailedServerHandshakeIsRedispatchedUnseen() throws Exception {
        EmbeddedClient c = fake.client("127.0.0.7");
        byte[] afterC2 = RtmpChunks.connect(Captures.connect("ffmpeg-play"), 128);
        write(c, concat(c0(SimpleHandshake.c1(8)), SimpleHandshake.c1(9), afterC2));
        drainOutboundBytes(c);
        assertEquals("player", c.session().role());
        FakeServers.Attempt first = fake.attempt(0);
        assertEquals("10.0.0.1", first.target().getHostString());
        first.promise().setSuccess();
        drainOutboundBytes(first.server());
        first.server().writeInbound(Unpooled.wrappedBuffer(new byte[] {6, 1, 2, 3}));
        assertFalse(first.server().isOpen(), "a server answering with another version is dropped");

        assertEquals(2, fake.attempts.size(), "retries 1 + redispatch: the last retry goes elsewhere");
        FakeServers.Attempt second = fake.attempt(1);
        assertEquals("10.0.0.2", second.target().getHostString());
        second.promise().setSuccess();
        byte[] c0c1 = drainOutboundBytes(second.server());
        second.server().writeInbound(Unpooled.wrappedBuffer(SimpleHandshake.serverAnswer(c0c1)));
        byte[] toServer = drainOutboundBytes(second.server());
        assertArrayEquals(afterC2, Arrays.copyOfRange(toServer, SIZE, toServer.length));
        assertTrue(c.isOpen());
        assertEquals(0, drainOutboundBytes(c).length, "the client saw nothing of the failed attempt");
        assertTrue(fake.routed.get(0).contains(" server=b proto=rtmp role=player app=live "), fake.routed.get(0));
        assertTrue(fake.routed.get(0).endsWith(" retries=1"), fake.routed.get(0));
        c.finishAndReleaseAll();
    }

    @Test
    void rtmpeIsPassedOnUntouchedAndRoutedLikeModeTcp() {
        EmbeddedClient c = fake.client("127.0.0.8");
        byte[] c0c1 = new byte[1 + SIZE];
        c0c1[0] = 6;
        new Random(10).nextBytes(Arrays.copyOfRange(c0c1, 1, c0c1.length));
        write(c, c0c1);
        assertEquals(0, drainOutboundBytes(c).length, "we cannot answer an encrypted handshake");
        FakeServers.Attempt a = fake.attempt(0);
        assertEquals("10.0.0.1", a.target().getHostString(), "default_backend");
        a.promise().setSuccess();
        assertArrayEquals(c0c1, drainOutboundBytes(a.server()), "no handshake of ours: the client's bytes as they came");
        assertTrue(fake.routed.get(0).contains(" proto=rtmpe role=unknown app=- "), fake.routed.get(0));
        c.finishAndReleaseAll();
    }

    @Test
    void contentRulesRejectWithTheRuleInTheLog() throws Exception {
        EmbeddedClient c = fake.client("127.0.0.9");
        byte[] body = new Amf0TestEncoder().string("connect").number(1)
                .object(Map.of("app", "forbidden", "tcUrl", "rtmp://x/forbidden")).toByteArray();
        write(c, concat(c0(SimpleHandshake.c1(11)), SimpleHandshake.c1(12), RtmpChunks.connect(body, 128)));
        assertFalse(c.isOpen());
        assertEquals(0, fake.attempts.size());
        assertTrue(fake.lastLog().endsWith("term=rejected detail=\"tcp-request content reject at t.cfg:6\""),
                fake.lastLog());
    }

    @Test
    void connectionRulesRefuseAtAcceptBeforeAnyByteIsRead() throws Exception {
        FakeServers guarded = new FakeServers(CONFIG.replace(" tcp-request inspect-delay 3s\n",
                " tcp-request inspect-delay 3s\n tcp-request connection reject if { src 127.0.0.66 }\n"));
        EmbeddedClient refused = guarded.client("127.0.0.66");
        assertFalse(refused.isOpen());
        assertEquals(0, drainOutboundBytes(refused).length);
        assertTrue(guarded.lastLog().endsWith("term=rejected detail=\"tcp-request connection reject at t.cfg:5\""),
                guarded.lastLog());
        EmbeddedClient other = guarded.client("127.0.0.67");
        assertTrue(other.isOpen());
        other.finishAndReleaseAll();
    }

    @Test
    void aConnectOnA3ByteChunkStreamIdWithExtendedTimestampsAndSplitIsRead() throws Exception {
        EmbeddedClient c = fake.client("127.0.0.18");
        byte[] body = Captures.connect("ffmpeg-play");
        // csid 320: fmt 0 with the 3-byte form (1, then 320 - 64 = 256 little-endian)
        byte[] header = {0x01, 0x00, 0x01, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0, (byte) body.length, 20, 0, 0, 0, 0,
                0x01, 0x00, 0x00, 0x00};
        byte[] continuation = {(byte) 0xC1, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00};
        byte[] chunks = concat(header, Arrays.copyOf(body, 128), continuation, Arrays.copyOfRange(body, 128, body.length));
        write(c, concat(c0(SimpleHandshake.c1(25)), SimpleHandshake.c1(26)));
        for (byte b : chunks) {
            write(c, new byte[] {b});
        }
        assertEquals("player", c.session().role());
        assertEquals("rtmp://127.0.0.1:35427/live", c.session().tcUrl());
        FakeServers.Attempt a = fake.attempt(0);
        a.promise().setSuccess();
        byte[] c0c1 = drainOutboundBytes(a.server());
        a.server().writeInbound(Unpooled.wrappedBuffer(SimpleHandshake.serverAnswer(c0c1)));
        byte[] toServer = drainOutboundBytes(a.server());
        assertArrayEquals(chunks, Arrays.copyOfRange(toServer, SIZE, toServer.length), "replayed as it came");
        c.finishAndReleaseAll();
    }

    @Test
    void anAmf3CommandConnectIsReadToo() throws Exception {
        EmbeddedClient c = fake.client("127.0.0.17");
        byte[] body = concat(new byte[] {0}, Amf0TestEncoder.obsConnect(1, "live", "rtmp://x/live"));
        write(c, concat(c0(SimpleHandshake.c1(23)), SimpleHandshake.c1(24), RtmpChunks.message(3, 17, 0, 0, body, 128)));
        assertEquals("publisher", c.session().role());
        assertEquals(1, fake.attempts.size());
        c.finishAndReleaseAll();
    }

    @Test
    void whatIsNotRtmpClosesTheConnectionWithTheReason() {
        EmbeddedClient unknown = fake.client("127.0.0.10");
        write(unknown, new byte[] {0x01, 0x02});
        assertFalse(unknown.isOpen());
        assertTrue(fake.lastLog().contains(" server=- proto=tcp role=- "), fake.lastLog());
        assertTrue(fake.lastLog().endsWith("term=bad_request detail=\"first byte 0x01 is neither RTMP, TLS nor HTTP\""),
                fake.lastLog());

        EmbeddedClient garbage = fake.client("127.0.0.11");
        write(garbage, concat(c0(SimpleHandshake.c1(13)), SimpleHandshake.c1(14), new byte[] {0x45, 0, 0, 0, 0, 0, 0, 0}));
        assertFalse(garbage.isOpen());
        assertTrue(fake.lastLog().contains("term=bad_request detail="), fake.lastLog());
        assertTrue(fake.lastLog().contains("proto=rtmp"), fake.lastLog());

        EmbeddedClient media = fake.client("127.0.0.12");
        write(media, concat(c0(SimpleHandshake.c1(15)), SimpleHandshake.c1(16), RtmpChunks.message(4, 9, 1, 0, new byte[10], 128)));
        assertFalse(media.isOpen());
        assertTrue(fake.lastLog().endsWith("term=bad_request detail=\"message type 9 before connect\""), fake.lastLog());

        EmbeddedClient huge = fake.client("127.0.0.13");
        write(huge, concat(c0(SimpleHandshake.c1(17)), SimpleHandshake.c1(18),
                Arrays.copyOf(RtmpChunks.connect(new byte[20_000], 128), 600)));
        assertFalse(huge.isOpen(), "refused as soon as the header announces 20000 bytes");
        assertTrue(fake.lastLog().contains("term=bad_request"), fake.lastLog());

        EmbeddedClient notConnect = fake.client("127.0.0.14");
        byte[] play = new Amf0TestEncoder().string("play").number(0).nullValue().string("x").toByteArray();
        write(notConnect, concat(c0(SimpleHandshake.c1(19)), SimpleHandshake.c1(20), RtmpChunks.connect(play, 128)));
        assertFalse(notConnect.isOpen());
        assertTrue(fake.lastLog().contains("term=bad_request detail=\"expected connect, got 'play'"), fake.lastLog());
        assertEquals(0, fake.attempts.size(), "none of them reached a server");
    }

    @Test
    void inspectDelayClosesASessionThatNeverSendsConnectAndSaysWhatWasMissing() {
        EmbeddedClient c = fake.client("127.0.0.15");
        write(c, concat(c0(SimpleHandshake.c1(21)), SimpleHandshake.c1(22)));
        drainOutboundBytes(c);
        c.advanceTimeBy(Duration.ofMillis(2999).toNanos(), TimeUnit.NANOSECONDS);
        c.runScheduledPendingTasks();
        assertTrue(c.isOpen());
        c.advanceTimeBy(Duration.ofMillis(1).toNanos(), TimeUnit.NANOSECONDS);
        c.runScheduledPendingTasks();
        assertFalse(c.isOpen());
        assertTrue(fake.lastLog().endsWith("term=inspect_timeout detail=\"still waiting for connect after 3000ms\""),
                fake.lastLog());

        EmbeddedClient silent = fake.client("127.0.0.16");
        silent.advanceTimeBy(Duration.ofSeconds(3).toNanos(), TimeUnit.NANOSECONDS);
        silent.runScheduledPendingTasks();
        assertFalse(silent.isOpen());
        assertTrue(fake.lastLog().endsWith("detail=\"still waiting for the first bytes after 3000ms\""), fake.lastLog());
    }

    @Test
    void aClientThatHalfClosesDuringInspectionIsAnAbortAtOnceNotATimeout() {
        EmbeddedClient silent = fake.client("127.0.0.18");
        silent.pipeline().fireUserEventTriggered(io.netty.channel.socket.ChannelInputShutdownEvent.INSTANCE);
        assertFalse(silent.isOpen(), "closed at once, not after inspect-delay");
        assertTrue(fake.lastLog().endsWith("term=client_abort detail=\"closed while waiting for the first bytes\""),
                fake.lastLog());

        EmbeddedClient halfway = fake.client("127.0.0.19");
        write(halfway, Arrays.copyOf(c0(SimpleHandshake.c1(30)), 700));
        halfway.pipeline().fireUserEventTriggered(io.netty.channel.socket.ChannelInputShutdownEvent.INSTANCE);
        assertFalse(halfway.isOpen());
        assertTrue(fake.lastLog().endsWith("term=client_abort detail=\"closed while waiting for C0+C1\""), fake.lastLog());
        assertEquals(0, fake.attempts.size());
    }
}
