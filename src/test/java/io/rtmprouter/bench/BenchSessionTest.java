package io.rtmprouter.bench;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rtmprouter.rtmp.ChunkStreamReader;
import io.rtmprouter.rtmp.ConnectCommand;
import io.rtmprouter.rtmp.RtmpMessage;
import io.rtmprouter.testing.Amf0TestEncoder;
import io.rtmprouter.testing.SimpleHandshake;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.rtmprouter.testing.EmbeddedBytes.drainOutboundBytes;
import static io.rtmprouter.testing.RtmpChunks.concat;
import static io.rtmprouter.testing.RtmpChunks.message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One load-generator session against a scripted server, byte for byte. */
class BenchSessionTest {
    private final List<SessionResult> results = new ArrayList<>();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    /** What the session sent, read as a server reads it. */
    private final ChunkStreamReader fromClient = new ChunkStreamReader(1 << 20);

    private EmbeddedChannel session(String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--url", "rtmp://127.0.0.1:1935/vod/test.flv", "--hold", "0"));
        args.addAll(List.of(extraArgs));
        EmbeddedChannel ch = new EmbeddedChannel(false, false);
        channels.add(ch);
        ch.pipeline().addLast(new io.netty.channel.ChannelInitializer<>() {
            @Override
            protected void initChannel(io.netty.channel.Channel c) {
                // Frozen before the session arms its first deadline.
                ((EmbeddedChannel) c).freezeTime();
                c.pipeline().addLast(new BenchSession(BenchOptions.parse(args), System.nanoTime(), results::add));
            }
        });
        try {
            ch.register();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return ch;
    }

    @org.junit.jupiter.api.AfterEach
    void releaseWhatNobodyRead() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private List<RtmpMessage> sent(EmbeddedChannel ch) throws Exception {
        var in = Unpooled.wrappedBuffer(drainOutboundBytes(ch));
        List<RtmpMessage> out = new ArrayList<>();
        RtmpMessage m;
        while ((m = fromClient.next(in)) != null) {
            out.add(m);
        }
        assertFalse(in.isReadable(), "only whole messages");
        return out;
    }

    private static List<Object> amf(RtmpMessage m) throws Exception {
        var d = new io.rtmprouter.rtmp.Amf0Decoder(Unpooled.wrappedBuffer(m.payload()));
        List<Object> values = new ArrayList<>();
        while (d.hasMore()) {
            values.add(d.readValue());
        }
        return values;
    }

    private static byte[] command(int csid, int streamId, Object... values) {
        Amf0TestEncoder e = new Amf0TestEncoder();
        for (Object v : values) {
            e.value(v);
        }
        return message(csid, 20, streamId, 0, e.toByteArray(), 128);
    }

    private static byte[] status(String code) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", "status");
        info.put("code", code);
        return command(5, 1, "onStatus", 0.0, null, info);
    }

    /** Handshake, then the first messages, as nginx-rtmp answers them. */
    private EmbeddedChannel connected(String... extraArgs) throws Exception {
        EmbeddedChannel ch = session(extraArgs);
        byte[] c0c1 = drainOutboundBytes(ch);
        assertEquals(1537, c0c1.length);
        assertEquals(3, c0c1[0]);
        assertArrayEquals(new byte[1536], Arrays.copyOfRange(c0c1, 1, 1537), "a simple C1: time 0, version 0, zeros");

        byte[] s1 = SimpleHandshake.c1(7);
        ch.writeInbound(Unpooled.wrappedBuffer(concat(new byte[] {3}, s1, new byte[1536])));
        byte[] afterHandshake = drainOutboundBytes(ch);
        assertArrayEquals(s1, Arrays.copyOf(afterHandshake, 1536), "C2 echoes S1");
        var rest = Unpooled.wrappedBuffer(afterHandshake, 1536, afterHandshake.length - 1536);
        RtmpMessage chunkSize = fromClient.next(rest);
        assertEquals(1, chunkSize.typeId());
        assertArrayEquals(new byte[] {0, 0, 0x10, 0}, chunkSize.payload(), "Set Chunk Size 4096, before connect");
        RtmpMessage connect = fromClient.next(rest);
        assertEquals(20, connect.typeId());
        ConnectCommand c = ConnectCommand.decode(Unpooled.wrappedBuffer(connect.payload()), false);
        assertEquals("vod", c.app());
        assertEquals("rtmp://127.0.0.1:1935/vod", c.tcUrl());
        assertEquals("player", c.role().logName());

        ch.writeInbound(Unpooled.wrappedBuffer(concat(
                message(2, 5, 0, 0, new byte[] {0, 0x26, 0x25, (byte) 0xA0}, 128),
                message(2, 6, 0, 0, new byte[] {0, 0x4C, 0x4B, 0x40, 2}, 128))));
        List<RtmpMessage> window = sent(ch);
        assertEquals(1, window.size());
        assertEquals(5, window.get(0).typeId(), "Set Peer Bandwidth answered with our window, as librtmp does");
        assertArrayEquals(new byte[] {0, 0x4C, 0x4B, 0x40}, window.get(0).payload());
        return ch;
    }

    @Test
    void aPlayerConnectsCreatesAStreamPlaysWithALongBufferAndEndsWhenTheStreamStops() throws Exception {
        EmbeddedChannel ch = connected();
        ch.writeInbound(Unpooled.wrappedBuffer(command(3, 0, "_result", 1.0, null, Map.of("code", "NetConnection.Connect.Success"))));
        List<RtmpMessage> create = sent(ch);
        assertEquals(List.of("createStream", 2.0), amf(create.get(0)).subList(0, 2));

        ch.writeInbound(Unpooled.wrappedBuffer(command(3, 0, "_result", 2.0, null, 1.0)));
        List<RtmpMessage> play = sent(ch);
        assertEquals(2, play.size());
        assertEquals(1, play.get(0).messageStreamId());
        assertEquals(Arrays.asList("play", 0.0, null, "test.flv", -2.0), amf(play.get(0)));
        assertEquals(4, play.get(1).typeId());
        assertArrayEquals(new byte[] {0, 3, 0, 0, 0, 1, 0, 0x36, (byte) 0xEE, (byte) 0x80}, play.get(1).payload(),
                "SetBufferLength of stream 1: an hour, so nginx sends a file at full speed");

        ch.writeInbound(Unpooled.wrappedBuffer(concat(status("NetStream.Play.Start"), message(4, 9, 1, 0, new byte[300], 128))));
        assertTrue(results.isEmpty(), "hold 0: the session lasts until the stream ends");
        ch.writeInbound(Unpooled.wrappedBuffer(status("NetStream.Play.Stop")));
        assertEquals(1, results.size());
        SessionResult r = results.get(0);
        assertNull(r.failure());
        assertTrue(r.connectResultNs() >= 0 && r.firstMediaNs() >= r.connectResultNs(), r.toString());
        assertTrue(r.bytesIn() > 3073 + 300, r.toString());
        assertFalse(ch.isOpen());
    }

    @Test
    void anIdleSessionHoldsAfterConnectForItsHoldThenEndsWell() throws Exception {
        EmbeddedChannel ch = connected("--mode", "idle", "--hold", "2s");
        ch.writeInbound(Unpooled.wrappedBuffer(command(3, 0, "_result", 1.0, null, Map.of("code", "NetConnection.Connect.Success"))));
        assertEquals(List.of(), sent(ch), "no createStream in idle mode");
        ch.advanceTimeBy(Duration.ofMillis(1999).toNanos(), TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(results.isEmpty());
        ch.advanceTimeBy(Duration.ofMillis(1).toNanos(), TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(1, results.size());
        assertNull(results.get(0).failure());
        assertEquals(-1, results.get(0).firstMediaNs());
    }

    @Test
    void failuresSayWhatWentWrongAndWhere() throws Exception {
        EmbeddedChannel refused = connected();
        refused.writeInbound(Unpooled.wrappedBuffer(command(3, 0, "_error", 1.0, null,
                Map.of("level", "error", "code", "NetConnection.Connect.Rejected"))));
        assertEquals("server refused connect: NetConnection.Connect.Rejected", results.remove(0).failure());

        EmbeddedChannel silent = connected("--timeout", "3s");
        silent.advanceTimeBy(Duration.ofSeconds(3).toNanos(), TimeUnit.NANOSECONDS);
        silent.runScheduledPendingTasks();
        assertEquals("timeout waiting for connect's _result", results.remove(0).failure());

        EmbeddedChannel missing = connected();
        missing.writeInbound(Unpooled.wrappedBuffer(command(3, 0, "_result", 1.0, null, null)));
        missing.writeInbound(Unpooled.wrappedBuffer(command(3, 0, "_result", 2.0, null, 1.0)));
        missing.writeInbound(Unpooled.wrappedBuffer(status("NetStream.Play.StreamNotFound")));
        assertEquals("play refused: NetStream.Play.StreamNotFound", results.remove(0).failure());

        EmbeddedChannel cut = connected();
        cut.close();
        assertEquals("closed by the server during connect", results.remove(0).failure());

        EmbeddedChannel wrongVersion = session();
        drainOutboundBytes(wrongVersion);
        wrongVersion.writeInbound(Unpooled.wrappedBuffer(concat(new byte[] {6}, new byte[3072])));
        assertEquals("server answered handshake version 6", results.remove(0).failure());
    }
}
