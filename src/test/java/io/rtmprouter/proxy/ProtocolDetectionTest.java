package io.rtmprouter.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpServerCodec;
import io.rtmprouter.proxy.inspect.ConnectReader;
import io.rtmprouter.proxy.inspect.InspectionDeadline;
import io.rtmprouter.testing.Amf0TestEncoder;
import io.rtmprouter.testing.HttpWire;
import io.rtmprouter.testing.RtmpChunks;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static io.rtmprouter.testing.EmbeddedBytes.drainOutboundBytes;
import static io.rtmprouter.testing.RtmpChunks.concat;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The detection stage of a mode rtmp bind, fed one byte at a time as a slow network would
 * deliver them: each protocol's first bytes set the pipeline up for it, or close the connection
 * with the reason in the log.
 */
class ProtocolDetectionTest {
    private static final int SIZE = 1536;

    private final FakeServers fake;

    ProtocolDetectionTest() throws Exception {
        fake = new FakeServers(FakeServers.ONE_RTMP_SERVER);
    }

    /** Writes `bytes` one at a time; returns how many were written before the connection closed. */
    private static int writeByteByByte(EmbeddedClient c, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (!c.isOpen()) {
                return i;
            }
            c.writeInbound(Unpooled.wrappedBuffer(new byte[] {bytes[i]}));
        }
        return bytes.length;
    }

    private static byte[] randomBytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void rtmpC0C1ByteByByteIsAnsweredOnlyAtTheLastByteOfC1WithS0S1S2() {
        EmbeddedClient c = fake.client("127.0.0.5");
        byte[] c1 = randomBytes(SIZE, 1);
        Arrays.fill(c1, 4, 8, (byte) 0);
        byte[] c0c1 = concat(new byte[] {3}, c1);
        for (int i = 0; i < c0c1.length - 1; i++) {
            c.writeInbound(Unpooled.wrappedBuffer(new byte[] {c0c1[i]}));
            assertEquals(0, drainOutboundBytes(c).length, "nothing written after byte " + (i + 1));
        }
        assertEquals("rtmp", c.session().proto());
        assertNull(c.pipeline().get(SessionPipeline.DETECT), "detection left after the first byte");
        c.writeInbound(Unpooled.wrappedBuffer(new byte[] {c0c1[c0c1.length - 1]}));

        byte[] answer = drainOutboundBytes(c);
        assertEquals(1 + 2 * SIZE, answer.length, "S0+S1+S2");
        assertEquals(3, answer[0]);
        assertArrayEquals(c1, Arrays.copyOfRange(answer, 1 + SIZE, answer.length), "S2 echoes a simple C1");
        assertEquals("C2", c.session().awaiting());
        assertTrue(c.isOpen());
        c.finishAndReleaseAll();
    }

    @Test
    void aWholeRtmpStartFedByteByByteOnAnEventLoopSizedStackReachesTheServerVerbatim() throws Exception {
        // An event loop thread has the JVM's default stack (1 MiB on 64-bit Linux), far less than
        // the test runner's main thread: run there, as the router would.
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread loop = new Thread(null, () -> {
            try {
                startFedByteByByte();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "event-loop-sized", 1024 * 1024);
        loop.start();
        loop.join();
        if (failure.get() != null) {
            throw new AssertionError("failed on an event-loop-sized stack", failure.get());
        }
    }

    /** C0+C1, C2 and a 15 KB connect (a long pageUrl, within the connect limit), one byte per read. */
    private void startFedByteByByte() {
        EmbeddedClient c = fake.client("127.0.0.13");
        byte[] c1 = randomBytes(SIZE, 3);
        Arrays.fill(c1, 4, 8, (byte) 0);
        byte[] body = new Amf0TestEncoder().string("connect").number(1).object(Map.of("app", "live",
                "tcUrl", "rtmp://127.0.0.1/live", "pageUrl", "https://player.test/" + "p".repeat(15_000))).toByteArray();
        byte[] connect = RtmpChunks.connect(body, 128);
        assertTrue(body.length < ConnectReader.MAX_CONNECT_BYTES);
        assertEquals(1 + 2 * SIZE + connect.length, writeByteByByte(c, concat(new byte[] {3}, c1, c1, connect)));
        assertEquals(1 + 2 * SIZE, drainOutboundBytes(c).length);
        assertEquals("live", c.session().app());

        FakeServers.Attempt a = fake.attempt(0);
        a.promise().setSuccess();
        byte[] c0c1 = drainOutboundBytes(a.server());
        a.server().writeInbound(Unpooled.wrappedBuffer(concat(new byte[] {3}, randomBytes(SIZE, 4),
                Arrays.copyOfRange(c0c1, 1, 1 + SIZE))));
        byte[] toServer = drainOutboundBytes(a.server());
        assertArrayEquals(connect, Arrays.copyOfRange(toServer, SIZE, toServer.length), "after our C2, the connect as sent");
        c.finishAndReleaseAll();
        a.server().finishAndReleaseAll();
    }

    @Test
    void rtmpeByteByByteIsPassedToTheServerVerbatim() {
        EmbeddedClient c = fake.client("127.0.0.6");
        byte[] c0c1 = concat(new byte[] {6}, randomBytes(SIZE, 2));
        assertEquals(c0c1.length, writeByteByByte(c, c0c1));
        assertEquals(0, drainOutboundBytes(c).length, "an encrypted handshake is not ours to answer");
        assertEquals("rtmpe", c.session().proto());
        assertEquals(1, fake.attempts.size(), "routed at the first byte, like mode tcp");
        FakeServers.Attempt a = fake.attempt(0);
        a.promise().setSuccess();
        assertArrayEquals(c0c1, drainOutboundBytes(a.server()));
        assertTrue(fake.routed.get(0).contains(" proto=rtmpe "), fake.routed.get(0));
        c.finishAndReleaseAll();
        a.server().finishAndReleaseAll();
    }

    @Test
    void aTlsClientHelloOnABindWithoutSslIsClosedAtItsSecondByte() {
        EmbeddedClient c = fake.client("127.0.0.7");
        byte[] clientHello = HexFormat.of().parseHex("16030100c4010000c00303");
        assertEquals(2, writeByteByByte(c, clientHello), "0x16 alone could still be something else");
        assertFalse(c.isOpen());
        assertEquals(0, drainOutboundBytes(c).length);
        assertTrue(fake.lastLog().contains(" proto=tcp "), fake.lastLog());
        assertTrue(fake.lastLog().endsWith("term=bad_request detail=\"a TLS ClientHello on a bind without 'ssl'\""),
                fake.lastLog());
        assertEquals(0, fake.attempts.size());
    }

    @Test
    void aProxyProtocolHeaderIsClosedAtTheLastByteOfItsSignature() {
        String detail = "term=bad_request detail=\"a PROXY protocol header, but the bind has no accept-proxy\"";
        EmbeddedClient v1 = fake.client("127.0.0.8");
        assertEquals(6, writeByteByByte(v1, "PROXY TCP4 192.0.2.1 192.0.2.2 40000 1935\r\n".getBytes(US_ASCII)));
        assertFalse(v1.isOpen());
        assertTrue(fake.lastLog().endsWith(detail), fake.lastLog());

        EmbeddedClient v2 = fake.client("127.0.0.9");
        byte[] v2Header = HexFormat.of().parseHex("0d0a0d0a000d0a515549540a" + "2111000cc0000201c00002029c401935");
        assertEquals(12, writeByteByByte(v2, v2Header));
        assertFalse(v2.isOpen());
        assertTrue(fake.lastLog().endsWith(detail), fake.lastLog());
        assertEquals(2, fake.logged.size());
    }

    @Test
    void anUnknownFirstByteIsClosedAtOnce() {
        EmbeddedClient c = fake.client("127.0.0.10");
        assertEquals(1, writeByteByByte(c, new byte[] {0x01, 0x02, 0x03}));
        assertFalse(c.isOpen());
        assertTrue(fake.lastLog().endsWith("term=bad_request detail=\"first byte 0x01 is neither RTMP, TLS nor HTTP\""),
                fake.lastLog());

        EmbeddedClient almostPost = fake.client("127.0.0.11");
        assertEquals(4, writeByteByByte(almostPost, "POSX /open/1 HTTP/1.1\r\n".getBytes(US_ASCII)));
        assertFalse(almostPost.isOpen());
        assertTrue(fake.lastLog().contains("term=bad_request"), fake.lastLog());
    }

    @Test
    void anRtmptOpenByteByByteGetsOneResponseShapedAsLibrtmpReadsIt() {
        EmbeddedClient c = fake.client("127.0.0.12");
        byte[] open = ("POST /open/1 HTTP/1.1\r\nHost: 127.0.0.1:1935\r\nContent-Type: application/x-fcs\r\n"
                + "Connection: Keep-Alive\r\nContent-Length: 1\r\n\r\n\0").getBytes(US_ASCII);
        for (int i = 0; i < open.length - 1; i++) {
            c.writeInbound(Unpooled.wrappedBuffer(new byte[] {open[i]}));
            assertNull(c.readOutbound(), "no answer before the body's byte, after byte " + (i + 1));
        }
        assertEquals("rtmpt", c.session().proto());
        assertInstanceOf(HttpServerCodec.class, c.pipeline().get(SessionPipeline.HTTP_CODEC));
        assertEquals(List.of(SessionPipeline.INSPECT_DEADLINE, SessionPipeline.HTTP_IDLE, SessionPipeline.HTTP_TIMER,
                SessionPipeline.HTTP_CODEC, SessionPipeline.HTTP_BODY, SessionPipeline.RTMPT), c.pipeline().names().subList(0, 6),
                "the RTMP stages gave way to the HTTP ones");
        c.writeInbound(Unpooled.wrappedBuffer(new byte[] {open[open.length - 1]}));

        // drainResponse fails on anything but encoded ByteBufs: the codec sits in the client's pipeline.
        HttpWire.Response r = HttpWire.drainResponse(c);
        assertEquals("HTTP/1.1 200 OK", r.statusLine());
        assertEquals(Optional.of("33"), r.header("Content-Length"), "spelled so: " + r.headerLines());
        assertEquals(Optional.of("application/x-fcs"), r.header("Content-Type"));
        assertEquals(Optional.of("Keep-Alive"), r.header("Connection"));
        assertTrue(r.headerLines().stream().noneMatch(l -> l.toLowerCase().startsWith("transfer-encoding")));
        assertTrue(r.bodyText().matches("[0-9a-f]{32}\n"), r.bodyText());
        String id = r.bodyText().strip();
        assertEquals(1, fake.fc.tunnels().size());
        assertNotNull(fake.fc.tunnels().get(id), "the id answered is a live session");
        assertNull(c.pipeline().get(InspectionDeadline.class), "a valid RTMPT request ends inspection");
        assertTrue(c.isOpen(), "keep-alive");
        assertEquals(0, fake.logged.size(), "a carrier that carried is not a session of its own");
        c.finishAndReleaseAll();
    }
}
