package io.rtmprouter.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rtmprouter.proxy.transport.CompactByteQueue;
import io.rtmprouter.proxy.tunnel.RtmptBodyAggregator;
import io.rtmprouter.proxy.tunnel.RtmptTunnel;
import io.rtmprouter.proxy.tunnel.TunnelChannel;
import io.rtmprouter.rtmpt.RtmptRequest;
import io.rtmprouter.testing.Captures;
import io.rtmprouter.testing.HttpWire;
import io.rtmprouter.testing.RtmpChunks;
import io.rtmprouter.testing.SimpleHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.rtmprouter.testing.EmbeddedBytes.drainOutboundBytes;
import static io.rtmprouter.testing.RtmpChunks.concat;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RTMPT sessions on EmbeddedChannels, with exact bytes. Each carrier connection is an
 * EmbeddedClient with its own event loop; a session lives on the loop of the carrier that
 * opened it ({@link #opener}), so a request brought by another carrier is applied only when the
 * test runs the opener's pending tasks, and the session's timers run on the opener's clock.
 * Closing an EmbeddedChannel cancels every task scheduled on its loop, which a shared event loop
 * would not do: a carrier that opened a session stays open while that session's timers matter.
 */
class RtmptTunnelTest {
    private static final int SIZE = 1536;
    /** ffmpeg's real play connect, chunked at the default size. */
    private static final byte[] CONNECT = RtmpChunks.connect(Captures.connect("ffmpeg-play"), 128);

    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private FakeServers fake;
    private EmbeddedClient opener;

    RtmptTunnelTest() throws Exception {
        useFrontend(100);
    }

    /**
     * The frontend of most tests: its HTTP timers are out of the way, since closing an idle
     * carrier would cancel the session timers on its loop. They have tests of their own.
     */
    private static final String FRONTEND = FakeServers.ONE_RTMP_SERVER.replace(" tcp-request inspect-delay 3s\n",
            " tcp-request inspect-delay 3s\n timeout http-request 1h\n timeout http-keep-alive 1h\n");

    /** A frontend holding at most `maxSessions` RTMPT sessions, and the carrier that opens them. */
    private void useFrontend(int maxSessions) throws Exception {
        useFrontend(FRONTEND, maxSessions);
    }

    private void useFrontend(String config, int maxSessions) throws Exception {
        fake = new FakeServers(config, maxSessions);
        opener = carrier("127.0.0.5");
    }

    @AfterEach
    void releaseEverything() {
        // Sessions outlive their carriers: what a session still holds is freed when it expires,
        // on the loop of whichever carrier opened it.
        for (EmbeddedChannel ch : channels) {
            advance((EmbeddedClient) ch, FakeServers.RTMPT_EXPIRY);
        }
        assertEquals(0, fake.fc.tunnels().size(), "every session ends by its expiry at the latest");
        fake.attempts.forEach(a -> channels.add(a.server()));
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
    }

    private EmbeddedClient carrier(String ip) {
        EmbeddedClient c = fake.client(ip);
        channels.add(c);
        return c;
    }

    // ---- the client's side of the tunnel -------------------------------------------------

    /** Writes one librtmp request on `carrier` and lets the session's loop apply it; no answer is read. */
    private void post(EmbeddedClient carrier, String path, byte[] body) {
        carrier.writeInbound(Unpooled.wrappedBuffer(HttpWire.librtmpPost(path, body)));
        opener.runPendingTasks();
    }

    /** Posts and reads the one answer. */
    private HttpWire.Response exchange(EmbeddedClient carrier, String path, byte[] body) {
        post(carrier, path, body);
        return HttpWire.drainResponse(carrier);
    }

    private String open(EmbeddedClient carrier) {
        HttpWire.Response r = exchange(carrier, "/open/1", new byte[] {0});
        assertEquals(200, r.status(), r.statusLine());
        return r.bodyText().strip();
    }

    /**
     * Moves the loop's clock and runs what falls due, then what that handed on: a channel closed
     * by a timer fires its inactive event in a task of its own, which one runPendingTasks leaves
     * for the next.
     */
    private static void advance(EmbeddedClient loopOwner, Duration d) {
        loopOwner.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
        do {
            loopOwner.runPendingTasks();
        } while (loopOwner.hasPendingTasks());
    }

    private static void assertOkBody(byte[] expected, HttpWire.Response r) {
        assertEquals("HTTP/1.1 200 OK", r.statusLine());
        assertEquals(Optional.of("application/x-fcs"), r.header("Content-Type"));
        assertEquals(Optional.of(Integer.toString(expected.length)), r.header("Content-Length"));
        assertArrayEquals(expected, r.body());
    }

    private static void assertError(int status, String reason, HttpWire.Response r) {
        assertEquals(status, r.status(), r.statusLine());
        assertEquals(reason + "\n", r.bodyText());
        assertEquals(Optional.of(Integer.toString(r.body().length)), r.header("Content-Length"));
    }

    private static byte[] pollingByte(int interval, byte[] serverBytes) {
        return concat(new byte[] {(byte) interval}, serverBytes);
    }

    // ---- RTMP bytes ----------------------------------------------------------------------



    /** A session that is past both handshakes and its connect: bytes now flow both ways through the relay. */
    private final class Relayed {
        final String id;
        final EmbeddedChannel server;
        long seq;

        Relayed() {
            id = open(opener);
            byte[] c1 = SimpleHandshake.c1(1);
            HttpWire.Response handshake = exchange(opener, "/send/" + id + "/0", concat(new byte[] {3}, c1));
            assertEquals(1 + 1 + 2 * SIZE, handshake.body().length);
            HttpWire.Response connect = exchange(opener, "/send/" + id + "/1", concat(SimpleHandshake.c1(2), CONNECT));
            assertOkBody(new byte[] {1}, connect);
            FakeServers.Attempt a = fake.attempt(0);
            server = a.server();
            a.promise().setSuccess();
            byte[] c0c1 = drainOutboundBytes(server);
            server.writeInbound(Unpooled.wrappedBuffer(SimpleHandshake.serverAnswer(c0c1)));
            byte[] toServer = drainOutboundBytes(server);
            assertArrayEquals(CONNECT, Arrays.copyOfRange(toServer, SIZE, toServer.length), "C2, then the connect");
            seq = 2;
        }

        String path(String command) {
            return "/" + command + "/" + id + "/" + seq++;
        }
    }

    // ---- the tests -----------------------------------------------------------------------

    @Test
    void theHandshakeAnswerComesInTheSendReplyThenBytesFlowBothWaysVerbatim() {
        String id = open(opener);
        assertTrue(id.matches("[0-9a-f]{32}"), id);

        byte[] c1 = SimpleHandshake.c1(1);
        HttpWire.Response handshake = exchange(opener, "/send/" + id + "/0", concat(new byte[] {3}, c1));
        // The handshake stage answers while the POSTed bytes are delivered, before the reply is composed.
        assertEquals("HTTP/1.1 200 OK", handshake.statusLine());
        byte[] body = handshake.body();
        assertEquals(1 + 1 + 2 * SIZE, body.length, "polling byte + S0+S1+S2");
        assertEquals(Optional.of("3074"), handshake.header("Content-Length"));
        assertEquals(1, body[0], "polling interval");
        assertEquals(3, body[1], "S0");
        assertArrayEquals(new byte[4], Arrays.copyOfRange(body, 6, 10), "a simple S1 for a simple C1");
        assertArrayEquals(c1, Arrays.copyOfRange(body, 2 + SIZE, body.length), "S2 echoes C1");

        assertOkBody(new byte[] {1}, exchange(opener, "/send/" + id + "/1", concat(SimpleHandshake.c1(2), CONNECT)));
        assertEquals(1, fake.attempts.size(), "the connect routed the session");
        FakeServers.Attempt a = fake.attempt(0);
        assertEquals("10.0.0.1", a.target().getHostString());
        a.promise().setSuccess();
        byte[] c0c1 = drainOutboundBytes(a.server());
        assertEquals(1 + SIZE, c0c1.length, "our own handshake with the server first");
        a.server().writeInbound(Unpooled.wrappedBuffer(SimpleHandshake.serverAnswer(c0c1)));
        byte[] toServer = drainOutboundBytes(a.server());
        assertArrayEquals(CONNECT, Arrays.copyOfRange(toServer, SIZE, toServer.length), "the client's connect, verbatim");
        String routed = fake.routed.get(0);
        assertTrue(routed.contains(" proto=rtmpt rtmpt_session=" + id.substring(0, 8) + " role=player app=live "), routed);

        byte[] result = "_result from the server".getBytes(US_ASCII);
        a.server().writeInbound(Unpooled.wrappedBuffer(result));
        assertOkBody(pollingByte(1, result), exchange(opener, "/idle/" + id + "/2", new byte[] {0}));

        byte[] play = "createStream+play from the client".getBytes(US_ASCII);
        assertOkBody(new byte[] {1}, exchange(opener, "/send/" + id + "/3", play));
        assertArrayEquals(play, drainOutboundBytes(a.server()));
        assertTrue(fake.logged.isEmpty(), "the session goes on");
    }

    @Test
    void requestsAreAppliedInSequenceOrderWhicheverConnectionBroughtThem() {
        Relayed s = new Relayed();
        EmbeddedClient second = carrier("127.0.0.5");
        EmbeddedClient third = carrier("127.0.0.5");
        byte[] first = "first".getBytes(US_ASCII);
        byte[] then = "then".getBytes(US_ASCII);

        post(second, "/send/" + s.id + "/3", then);
        assertEquals(0, drainOutboundBytes(s.server).length, "request 3 waits for request 2");
        assertNull(second.readOutbound(), "and is not answered yet");
        post(third, "/send/" + s.id + "/2", first);

        assertArrayEquals(concat(first, then), drainOutboundBytes(s.server), "applied 2, then 3");
        assertOkBody(new byte[] {1}, HttpWire.drainResponse(third));
        assertOkBody(new byte[] {1}, HttpWire.drainResponse(second));
        assertEquals(0, HttpWire.drainResponses(opener).size(), "nothing on the connection that opened the session");
        assertTrue(fake.logged.isEmpty(), "neither carrier is a session of its own");
    }

    @Test
    void pipelinedRequestsOnOneConnectionAreAnsweredOneAfterTheOtherInOrder() {
        String id = open(opener);
        byte[] c1 = SimpleHandshake.c1(5);
        opener.writeInbound(Unpooled.wrappedBuffer(concat(
                HttpWire.librtmpPost("/send/" + id + "/0", concat(new byte[] {3}, c1)),
                HttpWire.librtmpPost("/idle/" + id + "/1", new byte[] {0}))));
        List<HttpWire.Response> first = HttpWire.drainResponses(opener);
        assertEquals(1, first.size(), "the idle waits its turn, then is held: nothing to send");
        assertEquals(1 + 1 + 2 * SIZE, first.get(0).body().length);
        advance(opener, RtmptTunnel.IDLE_HOLD);
        assertOkBody(new byte[] {1}, HttpWire.drainResponse(opener));
    }

    @Test
    void aRepeatedSequenceNumberIsRefusedAndTheSessionGoesOn() {
        Relayed s = new Relayed();
        assertOkBody(new byte[] {1}, exchange(opener, "/send/" + s.id + "/2", "once".getBytes(US_ASCII)));
        HttpWire.Response again = exchange(opener, "/send/" + s.id + "/2", "twice".getBytes(US_ASCII));
        assertError(400, "RTMPT request 2 was already received", again);
        assertEquals(Optional.of("Keep-Alive"), again.header("Connection"));
        assertArrayEquals("once".getBytes(US_ASCII), drainOutboundBytes(s.server), "the repeat never reached the server");

        assertOkBody(new byte[] {1}, exchange(opener, "/send/" + s.id + "/3", "more".getBytes(US_ASCII)));
        assertArrayEquals("more".getBytes(US_ASCII), drainOutboundBytes(s.server));
    }

    @Test
    void anUnknownSessionIs404AndACarrierThatNeverCarriedIsLoggedAsABadRequest() {
        EmbeddedClient stranger = carrier("127.0.0.8");
        HttpWire.Response r = exchange(stranger, "/idle/0123456789abcdef0123456789abcdef/0", new byte[] {0});
        assertError(404, "no such RTMPT session", r);
        assertTrue(stranger.isOpen(), "keep-alive: the client may still send a valid request");
        assertTrue(fake.logged.isEmpty(), "logged when it closes");

        stranger.close();
        String log = fake.lastLog();
        assertTrue(log.contains(" client=127.0.0.8:40000 frontend=f backend=- server=- proto=rtmpt "), log);
        assertTrue(log.endsWith("term=bad_request detail=\"RTMPT: 404 no such RTMPT session\""), log);
    }

    @Test
    void onlyPostsToTunnelPathsAreAnswered() {
        EmbeddedClient browser = carrier("127.0.0.9");
        browser.writeInbound(Unpooled.copiedBuffer("GET /open/1 HTTP/1.1\r\nHost: x\r\n\r\n", US_ASCII));
        HttpWire.Response get = HttpWire.drainResponse(browser);
        assertError(405, "RTMPT takes POST requests only, not GET", get);
        assertEquals(Optional.of("POST"), get.header("Allow"));
        browser.close();
        assertTrue(fake.lastLog().endsWith(
                "term=bad_request detail=\"RTMPT: 405 RTMPT takes POST requests only, not GET\""), fake.lastLog());

        EmbeddedClient flash = carrier("127.0.0.10");
        assertError(404, "not an RTMPT path: /fcs/ident2", exchange(flash, "/fcs/ident2", new byte[] {0}));
        String id = open(flash);
        assertNotNull(fake.fc.tunnels().get(id), "the same connection may still open a session");
        assertOkBody(new byte[] {0}, exchange(flash, "/close/" + id + "/0", new byte[] {0}));
        flash.close();
        assertEquals(2, fake.logged.size());
        assertTrue(fake.lastLog().contains(" client=127.0.0.10:40000 ") && fake.lastLog().contains(" rtmpt_session="),
                "the session is logged, not the carrier that carried it: " + fake.lastLog());
    }

    @Test
    void aRequestWithMoreThan101HeaderFieldsOrOver8KiBOfThemIsA400AndTheConnectionCloses() {
        // librtmp's POST has 7 fields: 94 more make HAProxy's default maximum of 101.
        String fields = "X-Pad: 1\r\n".repeat(94);
        EmbeddedClient most = carrier("127.0.0.13");
        most.writeInbound(Unpooled.copiedBuffer(new String(HttpWire.librtmpPost("/open/1", new byte[] {0}), US_ASCII)
                .replace("Accept: */*\r\n", "Accept: */*\r\n" + fields), US_ASCII));
        assertEquals(200, HttpWire.drainResponse(most).status(), "101 fields are taken");

        EmbeddedClient many = carrier("127.0.0.14");
        many.writeInbound(Unpooled.copiedBuffer(new String(HttpWire.librtmpPost("/open/1", new byte[] {0}), US_ASCII)
                .replace("Accept: */*\r\n", "Accept: */*\r\n" + fields + "X-Pad: 1\r\n"), US_ASCII));
        assertError(400, "more than 101 header fields", HttpWire.drainResponse(many));
        many.runPendingTasks();
        assertFalse(many.isActive());
        assertTrue(fake.lastLog().endsWith("term=bad_request detail=\"RTMPT: 400 more than 101 header fields\""),
                fake.lastLog());

        EmbeddedClient large = carrier("127.0.0.15");
        large.writeInbound(Unpooled.copiedBuffer(new String(HttpWire.librtmpPost("/open/1", new byte[] {0}), US_ASCII)
                .replace("Accept: */*\r\n", "Accept: */*\r\nX-Pad: " + "a".repeat(8192) + "\r\n"), US_ASCII));
        HttpWire.Response tooLarge = HttpWire.drainResponse(large);
        assertEquals(400, tooLarge.status(), tooLarge.statusLine());
        assertTrue(tooLarge.bodyText().startsWith("malformed HTTP request: HTTP header is larger than 8192 bytes"),
                tooLarge.bodyText());
        large.runPendingTasks();
        assertFalse(large.isActive());
    }

    @Test
    void aBodyOverOneMebibyteIs413AndEndsTheSessionItNamed() {
        String id = open(opener);
        byte[] huge = new byte[RtmptBodyAggregator.MAX_BODY_BYTES + 1];
        huge[0] = 3;
        post(opener, "/send/" + id + "/0", huge);
        HttpWire.Response r = HttpWire.drainResponse(opener);
        assertError(413, "RTMPT request body over 1048576 bytes", r);

        assertNull(fake.fc.tunnels().get(id), "the session's stream lost bytes: it cannot go on");
        assertEquals(1, fake.logged.size());
        String log = fake.lastLog();
        assertTrue(log.contains(" proto=rtmpt rtmpt_session=" + id.substring(0, 8) + " "), log);
        assertTrue(log.endsWith("term=bad_request detail=\"RTMPT request body over 1048576 bytes\""), log);
        assertError(404, "no such RTMPT session", exchange(carrier("127.0.0.11"), "/idle/" + id + "/1", new byte[] {0}));
        assertTrue(open(opener).matches("[0-9a-f]{32}"), "the oversized body was skipped: the connection reads on");
    }

    @Test
    void a413WaitsForTheAnswerToAHeldPollBeforeIt() {
        String id = open(opener);
        post(opener, "/idle/" + id + "/0", new byte[] {0});
        post(opener, "/send/" + id + "/1", new byte[RtmptBodyAggregator.MAX_BODY_BYTES + 1]);
        assertNull(opener.readOutbound(), "the idle poll is held, and the 413 after it waits its turn");
        advance(opener, RtmptTunnel.IDLE_HOLD);
        List<HttpWire.Response> answers = HttpWire.drainResponses(opener);
        assertEquals(2, answers.size());
        assertOkBody(new byte[] {1}, answers.get(0));
        assertError(413, "RTMPT request body over 1048576 bytes", answers.get(1));
    }

    @Test
    void aBodyOfExactlyOneMebibyteReachesTheServerWhole() {
        Relayed s = new Relayed();
        byte[] media = new byte[RtmptBodyAggregator.MAX_BODY_BYTES];
        new Random(7).nextBytes(media);
        assertOkBody(new byte[] {1}, exchange(opener, s.path("send"), media));
        assertArrayEquals(media, drainOutboundBytes(s.server));
    }

    @Test
    void aSendIsAnsweredOnlyOnceAServerThatStoppedReadingHasTakenTheBytesBeforeIt() {
        Relayed s = new Relayed();
        RtmptTunnel tunnel = fake.fc.tunnels().get(s.id);
        s.server.unsafe().outboundBuffer().setUserDefinedWritability(31, false);
        byte[] media = new byte[RtmptTunnel.SEND_ANSWER_MARK * 2 + 64 * 1024];
        new Random(13).nextBytes(media);
        int chunk = 128 * 1024;
        int answered = 0;
        int sent = 0;
        for (; sent < media.length; sent += chunk) {
            post(opener, s.path("send"), Arrays.copyOfRange(media, sent, sent + Math.min(chunk, media.length - sent)));
            List<HttpWire.Response> r = HttpWire.drainResponses(opener);
            if (r.isEmpty()) {
                break;
            }
            answered += r.size();
        }
        // The relay read the first send before it saw the server was full; the client's next ones wait
        // in the tunnel until more than the mark is waiting, and that send's answer waits.
        assertTrue(tunnel.heldMemory() > RtmptTunnel.SEND_ANSWER_MARK, "held " + tunnel.heldMemory());
        assertTrue(tunnel.heldMemory() <= RtmptTunnel.SEND_ANSWER_MARK + chunk + 2 * CompactByteQueue.BLOCK,
                "held " + tunnel.heldMemory());
        assertTrue(answered >= 1 && sent < media.length, answered + " sends answered, " + sent + " of " + media.length);
        assertNotNull(fake.fc.tunnels().get(s.id), "the session goes on: the client just waits");

        // The server reads again: the waiting send is answered, and the client goes on.
        s.server.unsafe().outboundBuffer().setUserDefinedWritability(31, true);
        s.server.runPendingTasks();
        advance(opener, Duration.ZERO);
        assertOkBody(new byte[] {1}, HttpWire.drainResponse(opener));
        for (sent += chunk; sent < media.length; sent += chunk) {
            assertOkBody(new byte[] {1}, exchange(opener, s.path("send"),
                    Arrays.copyOfRange(media, sent, sent + Math.min(chunk, media.length - sent))));
        }
        byte[] received = drainOutboundBytes(s.server);
        assertArrayEquals(media, received, "every byte, in order");
        assertTrue(fake.logged.isEmpty(), "the session goes on");
    }

    @Test
    void aServerThatTakesNothingForTheExpiryWhileASendWaitsEndsTheSessionAsAServerTimeout() {
        Relayed s = new Relayed();
        s.server.unsafe().outboundBuffer().setUserDefinedWritability(31, false);
        for (int i = 0; i < 4; i++) {
            post(opener, s.path("send"), new byte[128 * 1024]);
        }
        int answered = HttpWire.drainResponses(opener).size();
        assertTrue(answered < 4, answered + " answered");
        advance(opener, FakeServers.RTMPT_EXPIRY);
        assertNull(fake.fc.tunnels().get(s.id));
        String log = fake.lastLog();
        assertTrue(log.matches(".* term=server_timeout detail=\"the server took none of \\d+ bytes the client sent for "
                + FakeServers.RTMPT_EXPIRY.toMillis() + "ms\"$"),
                log);
        // Its connection, idle as long (`timeout client`), was closed: nothing could answer the send.
        assertFalse(opener.isActive());
        assertEquals(1, fake.logged.size(), "the session is logged once");
    }

    @Test
    void aServerWritingFasterThanTheClientPollsIsPausedAndResumedAndNothingIsLost() {
        Relayed s = new Relayed();
        byte[] stream = new byte[TunnelChannel.MAX_HELD_FOR_CLIENT + 64 * 1024 + 1];
        new Random(8).nextBytes(stream);
        for (int at = 0; at < stream.length; at += 16 * 1024) {
            s.server.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, at,
                    Math.min(stream.length, at + 16 * 1024))));
        }
        assertFalse(s.server.config().isAutoRead(), "more than a reply's worth waits: stop reading the server");

        HttpWire.Response first = exchange(opener, s.path("idle"), new byte[] {0});
        assertEquals(1 + RtmptTunnel.MAX_REPLY_BYTES, first.body().length, "one reply carries at most this much");
        assertTrue(s.server.config().isAutoRead(), "the poll made room: read the server again");
        HttpWire.Response second = exchange(opener, s.path("idle"), new byte[] {0});

        byte[] received = concat(Arrays.copyOfRange(first.body(), 1, first.body().length),
                Arrays.copyOfRange(second.body(), 1, second.body().length));
        assertArrayEquals(stream, received, "in order, nothing lost");
        assertEquals(1, second.body()[0]);
    }

    @Test
    void aLiveStreamsSmallReadsAreHeldInCompactBlocksAndTheServerIsPausedAtTheBound() {
        Relayed s = new Relayed();
        RtmptTunnel tunnel = fake.fc.tunnels().get(s.id);
        // A live stream as nginx-rtmp sends it: audio messages of ~200 bytes, each read into a 4 KiB buffer.
        byte[] stream = new byte[600 * 1024];
        new Random(11).nextBytes(stream);
        int at = 0;
        while (at < stream.length && s.server.config().isAutoRead()) {
            int n = Math.min(197, stream.length - at);
            s.server.writeInbound(Unpooled.directBuffer(4096).writeBytes(stream, at, n));
            at += n;
        }
        assertFalse(s.server.config().isAutoRead(), "the server is paused before 600 KiB");
        // Waiting for the poll: the bytes, in blocks whose first is partly polled and last partly
        // filled; waiting for room: the 64 KiB mark, passed by one write (Netty adds 96 bytes a write).
        long bound = TunnelChannel.MAX_HELD_FOR_CLIENT + 2 * CompactByteQueue.BLOCK + 64 * 1024 + 4096 + 96;
        assertTrue(tunnel.heldMemory() <= bound, tunnel.heldMemory() + " bytes held, bound " + bound);
        assertTrue(tunnel.heldMemory() >= TunnelChannel.MAX_HELD_FOR_CLIENT, "full up to the bound: " + tunnel.heldMemory());
        // Held as they came, they would have pinned 4 KiB per 197 bytes: over 5 MB.
        assertTrue(at > TunnelChannel.MAX_HELD_FOR_CLIENT, "read " + at);

        byte[] received = new byte[0];
        for (int polls = 0; received.length < at && polls < 4; polls++) {
            HttpWire.Response r = exchange(opener, s.path("idle"), new byte[] {0});
            received = concat(received, Arrays.copyOfRange(r.body(), 1, r.body().length));
        }
        assertArrayEquals(Arrays.copyOf(stream, at), received, "every byte read from the server, in order");
        assertEquals(0, fake.fc.tunnels().get(s.id).heldMemory(), "all polled: nothing held");
    }

    @Test
    void aClosePipelinedBehindSendsJustBeforeTheFinEndsTheSessionAtOnceAndTheSendsArrive() {
        Relayed s = new Relayed();
        EmbeddedClient last = carrier("127.0.0.5");
        byte[] a = "first send".getBytes(US_ASCII);
        byte[] b = "second send".getBytes(US_ASCII);
        // As librtmp stops: unanswered /send/s, a /close/, then FIN, with no reply read.
        last.writeInbound(Unpooled.wrappedBuffer(concat(
                HttpWire.librtmpPost(s.path("send"), a),
                HttpWire.librtmpPost(s.path("send"), b),
                HttpWire.librtmpPost(s.path("close"), new byte[] {0}))));
        last.close();
        advance(opener, Duration.ZERO);
        assertArrayEquals(concat(a, b), drainOutboundBytes(s.server), "both sends reached the server");
        assertNull(fake.fc.tunnels().get(s.id), "the close ended the session");
        assertEquals(1, fake.logged.size());
        assertTrue(fake.lastLog().endsWith(" term=client_close"), fake.lastLog());
    }

    @Test
    void aConnectionThatEndsAbruptlyEndsTheSessionItLastCarriedAndACleanFinDoesNot() {
        Relayed s = new Relayed();
        EmbeddedClient polite = carrier("127.0.0.5");
        byte[] media = "media".getBytes(US_ASCII);
        s.server.writeInbound(Unpooled.wrappedBuffer(media));
        assertOkBody(pollingByte(1, media), exchange(polite, s.path("idle"), new byte[] {0}));
        polite.pipeline().fireUserEventTriggered(io.netty.channel.socket.ChannelInputShutdownEvent.INSTANCE);
        polite.close();
        advance(opener, Duration.ZERO);
        assertNotNull(fake.fc.tunnels().get(s.id), "after a FIN the session may go on over another connection");

        EmbeddedClient abrupt = carrier("127.0.0.5");
        s.server.writeInbound(Unpooled.wrappedBuffer(media));
        assertOkBody(pollingByte(1, media), exchange(abrupt, s.path("idle"), new byte[] {0}));
        // Then half a request, and the connection is gone: how librtmp's stop looks once its socket reset.
        abrupt.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(HttpWire.librtmpPost(s.path("close"), new byte[] {0}), 20)));
        abrupt.close();
        advance(opener, Duration.ZERO);
        assertNull(fake.fc.tunnels().get(s.id), "the connection that carried its last request ended abruptly");
        assertTrue(fake.lastLog().endsWith(
                "term=client_reset detail=\"the RTMPT connection that carried its last request ended abruptly\""),
                fake.lastLog());
    }

    @Test
    void aClientThatPipelinesPollsIsAnsweredOnlyAsItsSocketHasRoom() {
        Relayed s = new Relayed();
        EmbeddedClient greedy = carrier("127.0.0.5");
        byte[] stream = new byte[3 * TunnelChannel.MAX_HELD_FOR_CLIENT];
        new Random(12).nextBytes(stream);
        for (int at = 0; at < stream.length && s.server.config().isAutoRead(); at += 16 * 1024) {
            s.server.writeInbound(Unpooled.wrappedBuffer(stream, at, 16 * 1024));
        }
        // EmbeddedChannel "writes" at once; make its replies stay, as on a socket nobody reads.
        byte[] polls = new byte[0];
        for (int i = 0; i < 4; i++) {
            polls = concat(polls, HttpWire.librtmpPost(s.path("idle"), new byte[] {0}));
        }
        greedy.unsafe().outboundBuffer().setUserDefinedWritability(31, false);
        greedy.writeInbound(Unpooled.wrappedBuffer(polls));
        advance(opener, Duration.ZERO);
        greedy.runPendingTasks();
        List<HttpWire.Response> answered = HttpWire.drainResponses(greedy);
        assertEquals(1, answered.size(), "the next poll waits until the first answer has room on the socket");
        greedy.unsafe().outboundBuffer().setUserDefinedWritability(31, true);
        advance(opener, Duration.ZERO);
        greedy.runPendingTasks();
        advance(opener, Duration.ZERO);
        greedy.runPendingTasks();
        assertEquals(1, HttpWire.drainResponses(greedy).size(), "room again: the next poll is answered");
        // The two left are held in turn (nothing more to send); a close ends the session.
        post(greedy, s.path("close"), new byte[] {0});
        advance(opener, RtmptTunnel.IDLE_HOLD);
        greedy.runPendingTasks();
        advance(opener, RtmptTunnel.IDLE_HOLD);
        greedy.runPendingTasks();
        advance(opener, Duration.ZERO);
        assertEquals(3, HttpWire.drainResponses(greedy).size(), "both polls, then the close");
        assertNull(fake.fc.tunnels().get(s.id));
    }

    @Test
    void aSessionsRequestsMustComeFromTheAddressThatOpenedItUnlessAnySource() throws Exception {
        Relayed s = new Relayed();
        EmbeddedClient elsewhere = carrier("127.0.0.99");
        assertError(404, "no such RTMPT session", exchange(elsewhere, "/close/" + s.id + "/" + s.seq, new byte[] {0}));
        assertNotNull(fake.fc.tunnels().get(s.id), "a stranger with the id neither reads nor closes the session");
        byte[] media = "media".getBytes(US_ASCII);
        s.server.writeInbound(Unpooled.wrappedBuffer(media));
        assertOkBody(pollingByte(1, media), exchange(opener, s.path("idle"), new byte[] {0}));

        useFrontend(FRONTEND.replace(" default_backend pool\n", " default_backend pool\n rtmpt any-source\n"), 100);
        Relayed roaming = new Relayed();
        EmbeddedClient other = carrier("127.0.0.98");
        assertOkBody(new byte[] {0}, exchange(other, roaming.path("close"), new byte[] {0}));
        assertNull(fake.fc.tunnels().get(roaming.id), "with rtmpt any-source another address may carry it");
    }

    @Test
    void oneAddressOpensAtMostItsShareAndOthersStillOpen() throws Exception {
        useFrontend(FRONTEND.replace(" default_backend pool\n", " default_backend pool\n rtmpt max-sessions-per-source 3\n"), 100);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(open(opener));
        }
        assertError(503, "too many RTMPT sessions from this address (at most 3)", exchange(opener, "/open/1", new byte[] {0}));
        assertTrue(open(carrier("127.0.0.77")).matches("[0-9a-f]{32}"), "another address still opens");
        assertOkBody(new byte[] {0}, exchange(opener, "/close/" + ids.get(0) + "/0", new byte[] {0}));
        assertTrue(open(opener).matches("[0-9a-f]{32}"), "a closed session gives its address a place back");
    }

    @Test
    void theDefaultShareOfAnAddressIsATenthOfTheFrontendAndAtLeastTen() {
        assertEquals(60, io.rtmprouter.config.RtmptOptions.DEFAULT.perSource(600));
        assertEquals(10, io.rtmprouter.config.RtmptOptions.DEFAULT.perSource(50));
        assertEquals(4, io.rtmprouter.config.RtmptOptions.DEFAULT.perSource(4));
        assertEquals(7, new io.rtmprouter.config.RtmptOptions(7, false).perSource(600));
    }

    @Test
    void aRequestDrippedByteByByteIsAnswered408AtTimeoutHttpRequestAndAnIdleConnectionClosedAtKeepAlive()
            throws Exception {
        useFrontend(FakeServers.ONE_RTMP_SERVER.replace(" tcp-request inspect-delay 3s\n",
                " tcp-request inspect-delay 3s\n timeout http-request 2s\n timeout http-keep-alive 1s\n"), 100);
        // Each connection's first request is a 404 (a session opened over it would die with its loop here).
        EmbeddedClient drip = carrier("127.0.0.40");
        assertEquals(404, exchange(drip, RtmptRequest.FLASH_IDENT, new byte[] {0}).status());
        byte[] request = HttpWire.librtmpPost("/idle/0123/0", new byte[] {0});
        // One byte every 300 ms, each well within any inactivity timeout.
        for (int i = 0; i < 6; i++) {
            drip.writeInbound(Unpooled.wrappedBuffer(request, i, 1));
            advance(drip, Duration.ofMillis(300));
        }
        assertTrue(drip.isOpen(), "1.8 s after its first byte");
        advance(drip, Duration.ofMillis(200));
        HttpWire.Response r = HttpWire.drainResponse(drip);
        assertError(408, "no whole HTTP request within 2000ms (timeout http-request)", r);
        assertEquals(Optional.of("close"), r.header("Connection"));
        assertFalse(drip.isOpen(), "closed 2 s after the request's first byte");

        EmbeddedClient quiet = carrier("127.0.0.41");
        assertEquals(404, exchange(quiet, RtmptRequest.FLASH_IDENT, new byte[] {0}).status());
        advance(quiet, Duration.ofMillis(999));
        assertTrue(quiet.isOpen());
        advance(quiet, Duration.ofMillis(1));
        assertFalse(quiet.isOpen(), "no next request within timeout http-keep-alive: closed");
        assertEquals(0, HttpWire.drainResponses(quiet).size(), "without a word, as HAProxy does");
    }

    @Test
    void whatTheServerSentBeforeClosingStillReachesTheClientThenTheSessionIsGone() {
        Relayed s = new Relayed();
        byte[] last = "onStatus NetStream.Play.Stop".getBytes(US_ASCII);
        s.server.writeInbound(Unpooled.wrappedBuffer(last));
        s.server.close();
        opener.runPendingTasks();
        assertEquals(1, fake.logged.size());
        assertTrue(fake.lastLog().endsWith(" term=server_close"), fake.lastLog());
        assertNotNull(fake.fc.tunnels().get(s.id), "kept until its last bytes are polled");

        assertOkBody(pollingByte(1, last), exchange(opener, s.path("idle"), new byte[] {0}));
        assertNull(fake.fc.tunnels().get(s.id));
        assertError(404, "no such RTMPT session", exchange(opener, s.path("idle"), new byte[] {0}));
    }

    @Test
    void aSessionWithoutRequestsForTheExpiryEndsAsAClientTimeout() {
        // Past inspection: `tcp-request inspect-delay` (3s) would end a session that never sent its connect first.
        Relayed s = new Relayed();
        advance(opener, Duration.ofSeconds(20));
        post(opener, s.path("idle"), new byte[] {0});
        advance(opener, RtmptTunnel.IDLE_HOLD);
        assertOkBody(new byte[] {1}, HttpWire.drainResponse(opener));

        // 20 s more than the expiry after the handshake, but just under it after the last request.
        advance(opener, FakeServers.RTMPT_EXPIRY.minus(RtmptTunnel.IDLE_HOLD).minusMillis(1));
        assertNotNull(fake.fc.tunnels().get(s.id), "a request restarts the expiry");
        assertTrue(fake.logged.isEmpty());
        advance(opener, Duration.ofMillis(1));
        assertNull(fake.fc.tunnels().get(s.id));
        s.server.runPendingTasks();
        assertFalse(s.server.isOpen(), "the server connection ends with the session");
        String log = fake.lastLog();
        assertTrue(log.contains(" proto=rtmpt rtmpt_session=" + s.id.substring(0, 8) + " "), log);
        assertTrue(log.endsWith("term=client_timeout detail=\"no RTMPT request for " + FakeServers.RTMPT_EXPIRY.toMillis()
                + "ms\""), log);

        EmbeddedClient late = carrier("127.0.0.12");
        assertError(404, "no such RTMPT session", exchange(late, s.path("idle"), new byte[] {0}));
    }

    @Test
    void anIdlePollWithNothingToSendIsHeldUpTo200ms() {
        String id = open(opener);
        post(opener, "/idle/" + id + "/0", new byte[] {0});
        advance(opener, RtmptTunnel.IDLE_HOLD.minusMillis(1));
        assertNull(opener.readOutbound(), "held while the server might still write");
        advance(opener, Duration.ofMillis(1));
        assertOkBody(new byte[] {1}, HttpWire.drainResponse(opener));
    }

    @Test
    void aHeldIdlePollIsAnsweredAsSoonAsTheServerWrites() {
        Relayed s = new Relayed();
        EmbeddedClient poller = carrier("127.0.0.5");
        post(poller, s.path("idle"), new byte[] {0});
        assertNull(poller.readOutbound(), "nothing to send yet");

        byte[] fromServer = "onStatus NetStream.Play.Start".getBytes(US_ASCII);
        s.server.writeInbound(Unpooled.wrappedBuffer(fromServer));
        assertOkBody(pollingByte(1, fromServer), HttpWire.drainResponse(poller));
        advance(opener, RtmptTunnel.IDLE_HOLD);
        assertNull(poller.readOutbound(), "answered once");
    }

    @Test
    void thePollingIntervalBacksOffTo2AfterTenEmptyRepliesAndDataBringsItBackTo1() {
        String id = open(opener);
        List<Integer> intervals = new ArrayList<>();
        for (int seq = 0; seq < 11; seq++) {
            post(opener, "/idle/" + id + "/" + seq, new byte[] {0});
            advance(opener, RtmptTunnel.IDLE_HOLD);
            HttpWire.Response r = HttpWire.drainResponse(opener);
            assertEquals(1, r.body().length, "no data");
            intervals.add((int) r.body()[0]);
        }
        assertEquals(List.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2), intervals);

        HttpWire.Response withData = exchange(opener, "/send/" + id + "/11", concat(new byte[] {3}, SimpleHandshake.c1(3)));
        assertEquals(1 + 1 + 2 * SIZE, withData.body().length);
        assertEquals(1, withData.body()[0], "the handshake answer is data");
    }

    @Test
    void closeIsAnsweredWithOneZeroByteAndTheSessionIsLoggedOnce() {
        Relayed s = new Relayed();
        HttpWire.Response closed = exchange(opener, s.path("close"), new byte[] {0});
        assertOkBody(new byte[] {0}, closed);
        s.server.runPendingTasks();
        opener.runPendingTasks();

        assertFalse(s.server.isOpen(), "the server connection ends with the session");
        assertNull(fake.fc.tunnels().get(s.id));
        assertEquals(1, fake.logged.size());
        String log = fake.lastLog();
        assertTrue(log.contains(" backend=pool server=a proto=rtmpt rtmpt_session=" + s.id.substring(0, 8) + " role=player "), log);
        assertTrue(log.endsWith(" term=client_close"), log);
        assertError(404, "no such RTMPT session", exchange(opener, s.path("idle"), new byte[] {0}));
        assertEquals(1, fake.logged.size(), "logged once");
    }

    @Test
    void closeBeforeConnectEndsTheSessionAsAnAbort() {
        String id = open(opener);
        assertOkBody(new byte[] {0}, exchange(opener, "/close/" + id + "/0", new byte[] {0}));
        assertEquals(1, fake.logged.size());
        String log = fake.lastLog();
        assertTrue(log.contains(" server=- proto=rtmpt rtmpt_session=" + id.substring(0, 8) + " "), log);
        assertTrue(log.endsWith(" term=client_abort"), log);
        assertEquals(0, fake.attempts.size());
    }

    @Test
    void theFrontendsMaximumOfSessionsIsAnswered503UntilOneEnds() throws Exception {
        useFrontend(2);
        String first = open(opener);
        open(opener);
        HttpWire.Response full = exchange(opener, "/open/1", new byte[] {0});
        assertError(503, "too many RTMPT sessions", full);
        assertEquals(2, fake.fc.tunnels().size());

        assertOkBody(new byte[] {0}, exchange(opener, "/close/" + first + "/0", new byte[] {0}));
        assertEquals(1, fake.fc.tunnels().size());
        assertTrue(open(opener).matches("[0-9a-f]{32}"), "a closed session frees its place");
    }

    @Test
    void anOpenedSessionWithoutItsHandshakeAfterTheInspectDelayEndsAndFreesItsPlace() throws Exception {
        useFrontend(1);
        String idle = open(opener);
        assertError(503, "too many RTMPT sessions", exchange(opener, "/open/1", new byte[] {0}));
        // Half a handshake: the session is still inspecting at the deadline.
        assertOkBody(new byte[] {1}, exchange(opener, "/send/" + idle + "/0", new byte[] {3, 0, 0}));
        advance(opener, Duration.ofSeconds(3));
        assertNull(fake.fc.tunnels().get(idle));
        String log = fake.lastLog();
        assertTrue(log.contains(" rtmpt_session=" + idle.substring(0, 8) + " ")
                && log.endsWith("term=inspect_timeout detail=\"still waiting for C0+C1 after 3000ms\""), log);
        assertTrue(open(opener).matches("[0-9a-f]{32}"), "its place is free");
    }

    @Test
    void aMissingRequestIsWaitedFor5sThenTheSessionEnds() {
        Relayed s = new Relayed();
        EmbeddedClient ahead = carrier("127.0.0.5");
        post(ahead, "/send/" + s.id + "/3", "early".getBytes(US_ASCII));
        advance(opener, RtmptTunnel.GAP_WAIT.minusMillis(1));
        assertNull(ahead.readOutbound());
        assertNotNull(fake.fc.tunnels().get(s.id));
        advance(opener, Duration.ofMillis(1));

        assertError(404, "RTMPT session ended", HttpWire.drainResponse(ahead));
        assertNull(fake.fc.tunnels().get(s.id));
        s.server.runPendingTasks();
        assertEquals(0, drainOutboundBytes(s.server).length, "what came after the gap never reached the server");
        assertTrue(fake.lastLog().endsWith("term=bad_request detail=\"RTMPT request 2 missing after 5000ms\""),
                fake.lastLog());
    }
}
