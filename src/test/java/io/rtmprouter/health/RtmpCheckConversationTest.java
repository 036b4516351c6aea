package io.rtmprouter.health;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rtmprouter.config.CheckStatus;
import io.rtmprouter.rtmp.Amf0Encoder;
import io.rtmprouter.rtmp.ChunkStreamReader;
import io.rtmprouter.rtmp.ChunkWriter;
import io.rtmprouter.rtmp.ConnectCommand;
import io.rtmprouter.rtmp.RtmpMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.rtmprouter.testing.EmbeddedBytes.drainOutboundBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `option rtmp-check [APP]` on an embedded connection: what it sends, and how it reads an origin's answers. */
class RtmpCheckConversationTest {
    private final List<CheckResult> results = new ArrayList<>();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void releaseWhatWasWritten() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private EmbeddedChannel start(String app) {
        EmbeddedChannel ch = new EmbeddedChannel();
        channels.add(ch);
        ch.config().setAutoRead(false);
        ch.pipeline().addLast(new RtmpCheckConversation(app, "rtmp://127.0.1.1:1935/" + (app == null ? "" : app),
                Duration.ofSeconds(2), System.nanoTime(), results::add));
        return ch;
    }

    private static byte[] s0s1s2() {
        byte[] b = new byte[1 + 2 * 1536];
        b[0] = 3;
        for (int i = 1; i < b.length; i++) {
            b[i] = (byte) (i * 7);
        }
        return b;
    }

    /** nginx-rtmp's answers to connect: Window Ack Size, Set Chunk Size 4096, then `name(1, props, info)`. */
    private static ByteBuf answers(String name, String code) {
        ByteBuf out = Unpooled.buffer();
        ChunkWriter w = new ChunkWriter();
        w.write(out, 2, 5, 0, 0, Unpooled.buffer().writeInt(5_000_000));
        w.write(out, 2, 1, 0, 0, Unpooled.buffer().writeInt(4096));
        w.chunkSize(4096);
        ByteBuf payload = Unpooled.buffer();
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("fmsVer", "FMS/3,0,1,123");
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", "status");
        info.put("code", code);
        info.put("description", "Connection succeeded.");
        new Amf0Encoder(payload).value("onBWDone").value(0.0).value(null);
        w.write(out, 3, 20, 0, 0, payload);
        payload.clear();
        new Amf0Encoder(payload).value(name).value(1.0).value(props).value(info);
        w.write(out, 3, 20, 0, 0, payload);
        return out;
    }

    @Test
    void aHandshakeThenAConnectAnsweredSuccessPasses() throws Exception {
        EmbeddedChannel ch = start("live");
        byte[] c0c1 = drainOutboundBytes(ch);
        assertEquals(1537, c0c1.length);
        assertEquals(3, c0c1[0]);
        byte[] answer = s0s1s2();
        ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(answer, 1537)));
        byte[] c2 = drainOutboundBytes(ch);
        assertEquals(1536, c2.length, "C2 answers S1 before S2 arrives");
        ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(answer, 1537, answer.length)));
        RtmpMessage connect = new ChunkStreamReader(65536).next(Unpooled.wrappedBuffer(drainOutboundBytes(ch)));
        assertEquals(20, connect.typeId());
        ConnectCommand cmd = ConnectCommand.decode(Unpooled.wrappedBuffer(connect.payload()), false);
        assertEquals("live", cmd.app());
        assertEquals("rtmp://127.0.1.1:1935/live", cmd.tcUrl());
        assertTrue(results.isEmpty());
        ByteBuf a = answers("_result", "NetConnection.Connect.Success");
        ch.writeInbound(a.readRetainedSlice(40)); // split inside a chunk
        ch.writeInbound(a);
        assertEquals(List.of(new CheckResult(CheckStatus.L7OK, 0, "NetConnection.Connect.Success",
                results.get(0).durationMillis())), results);
        assertFalse(ch.isOpen(), "a passed check closes its connection");
    }

    @Test
    void anErrorAnswerIsAWrongStatusNamingItsCode() {
        EmbeddedChannel ch = start("live");
        ch.writeInbound(Unpooled.wrappedBuffer(s0s1s2()));
        ch.writeInbound(answers("_error", "NetConnection.Connect.Rejected"));
        assertEquals(CheckStatus.L7STS, results.get(0).status());
        assertEquals("_error NetConnection.Connect.Rejected: Connection succeeded.", results.get(0).info());
    }

    @Test
    void withoutAnApplicationTheHandshakeAloneIsChecked() {
        EmbeddedChannel ch = start(null);
        ch.writeInbound(Unpooled.wrappedBuffer(s0s1s2()));
        assertEquals(CheckStatus.L7OK, results.get(0).status());
        assertEquals("RTMP handshake done", results.get(0).info());
    }

    @Test
    void anotherVersionByteOrAClosedConnectionIsAnInvalidResponse() {
        EmbeddedChannel http = start("live");
        http.writeInbound(Unpooled.wrappedBuffer("HTTP/1.1 400".getBytes()));
        assertEquals(new CheckResult(CheckStatus.L7RSP, 0, "RTMP handshake answered with version 0x48",
                results.get(0).durationMillis()), results.get(0));
        EmbeddedChannel closing = start("live");
        closing.writeInbound(Unpooled.wrappedBuffer(s0s1s2()));
        closing.close();
        assertEquals("server closed the connection without answering connect to 'live'", results.get(1).info());
    }

    @Test
    void anOriginThatNeverAnswersTimesOut() {
        EmbeddedChannel ch = start("live");
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(CheckStatus.L7TOUT, results.get(0).status());
        assertEquals("no RTMP handshake answer", results.get(0).info());
        assertFalse(ch.isOpen());
    }

    @Test
    void anOriginThatSendsWithoutEndIsCutAtTheBound() {
        EmbeddedChannel ch = start("live");
        ch.writeInbound(Unpooled.wrappedBuffer(s0s1s2()));
        // Zeros: one-byte chunk headers of empty messages on chunk stream 0's form, never an answer.
        byte[] junk = new byte[RtmpCheckConversation.MAX_ANSWER];
        ch.writeInbound(Unpooled.wrappedBuffer(junk));
        assertEquals(new CheckResult(CheckStatus.L7RSP, 0, "more than 65536 bytes without an answer to connect",
                results.get(0).durationMillis()), results.get(0));
        assertFalse(ch.isOpen());
    }
}
