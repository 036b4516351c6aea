package io.rtmprouter.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rtmprouter.testing.Amf0TestEncoder;
import io.rtmprouter.testing.Captures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connect bodies captured from the real clients (scripts/capture-connect.py, Debian 12's ffmpeg 5.1
 * and rtmpdump 2.4, server on 127.0.0.1:35427 or :32345, which is why tcUrl carries that port) and
 * OBS's connect written by hand from its librtmp settings.
 */
class ConnectCommandTest {

    static ConnectCommand decode(byte[] body, boolean amf3Command) throws MalformedRtmpException {
        ByteBuf buf = Unpooled.wrappedBuffer(body);
        try {
            return ConnectCommand.decode(buf, amf3Command);
        } finally {
            buf.release();
        }
    }

    static ConnectCommand decode(byte[] body) throws MalformedRtmpException {
        return decode(body, false);
    }

    private static MalformedRtmpException rejected(Amf0TestEncoder body) {
        return assertThrows(MalformedRtmpException.class, () -> decode(body.toByteArray()));
    }

    @Test
    void ffmpegPublish() throws Exception {
        byte[] body = Captures.connect("ffmpeg-publish");
        assertEquals(140, body.length, "spans two 128-byte chunks on the wire");
        ConnectCommand c = decode(body);
        assertEquals(1.0, c.transactionId());
        assertEquals("live", c.app());
        assertEquals("nonprivate", c.type());
        assertEquals("FMLE/3.0 (compatible; Lavf59.27.100)", c.flashVer());
        assertEquals("rtmp://127.0.0.1:35427/live", c.tcUrl());
        assertNull(c.swfUrl());
        assertNull(c.pageUrl());
        assertNull(c.objectEncoding());
        assertEquals(Amf0DecoderTest.map("app", "live", "type", "nonprivate", "flashVer", "FMLE/3.0 (compatible; Lavf59.27.100)",
                "tcUrl", "rtmp://127.0.0.1:35427/live"), c.properties());
        assertEquals(List.of(), c.arguments());
        assertEquals(Role.PUBLISHER, c.role());
    }

    @Test
    void ffmpegPlay() throws Exception {
        ConnectCommand c = decode(Captures.connect("ffmpeg-play"));
        assertEquals(1.0, c.transactionId());
        assertEquals("live", c.app());
        assertEquals("LNX 9,0,124,2", c.flashVer());
        assertEquals("rtmp://127.0.0.1:35427/live", c.tcUrl());
        assertNull(c.type());
        assertEquals(Amf0DecoderTest.map("app", "live", "flashVer", "LNX 9,0,124,2", "tcUrl", "rtmp://127.0.0.1:35427/live",
                "fpad", false, "capabilities", 15.0, "audioCodecs", 4071.0, "videoCodecs", 252.0,
                "videoFunction", 1.0), c.properties());
        assertEquals(List.of(), c.arguments());
        assertEquals(Role.PLAYER, c.role());
    }

    @Test
    void rtmpdumpPlay() throws Exception {
        ConnectCommand c = decode(Captures.connect("rtmpdump-play"));
        assertEquals("live", c.app());
        assertEquals("LNX 10,0,32,18", c.flashVer());
        assertEquals("rtmp://127.0.0.1:35427/live", c.tcUrl());
        assertNull(c.type());
        assertNull(c.swfUrl());
        assertEquals(Amf0DecoderTest.map("app", "live", "flashVer", "LNX 10,0,32,18", "tcUrl", "rtmp://127.0.0.1:35427/live",
                "fpad", false, "capabilities", 15.0, "audioCodecs", 3191.0, "videoCodecs", 252.0,
                "videoFunction", 1.0), c.properties());
        assertEquals(Role.PLAYER, c.role());
    }

    @Test
    void rtmpdumpWithPageUrlAndConnectArguments() throws Exception {
        // rtmpdump -p http://example.test/page -C S:token123 -C N:7 -C O:1 -C NS:user:alice -C O:0
        ConnectCommand c = decode(Captures.connect("rtmpdump-play-args"));
        assertEquals("http://example.test/page", c.pageUrl());
        assertEquals("http://example.test/page", c.properties().get("pageUrl"));
        assertEquals(List.of("token123", 7.0, Amf0DecoderTest.map("user", "alice")), c.arguments());
        assertEquals(Role.PLAYER, c.role());
    }

    @Test
    void obsPublish() throws Exception {
        String tcUrl = "rtmp://127.0.0.1:1935/live";
        ConnectCommand c = decode(Amf0TestEncoder.obsConnect(1.0, "live", tcUrl));
        assertEquals("live", c.app());
        assertEquals("nonprivate", c.type());
        assertEquals("FMLE/3.0 (compatible; FMSc/1.0)", c.flashVer());
        assertEquals(tcUrl, c.tcUrl());
        assertEquals(tcUrl, c.swfUrl());
        assertEquals(Role.PUBLISHER, c.role());
    }

    @Test
    void amf3CommandSkipsTheLeadingZero() throws Exception {
        byte[] amf0 = Captures.connect("ffmpeg-play");
        byte[] amf3 = new byte[amf0.length + 1];
        System.arraycopy(amf0, 0, amf3, 1, amf0.length);
        assertEquals(decode(amf0), decode(amf3, true));
    }

    @Test
    void amf3CommandMustStartWithZero() {
        byte[] amf0 = Captures.connect("ffmpeg-play");
        MalformedRtmpException e = assertThrows(MalformedRtmpException.class, () -> decode(amf0, true));
        assertEquals("AMF3 command starts with 0x02, not 0x00", e.getMessage());
        assertThrows(MalformedRtmpException.class, () -> decode(new byte[0], true));
    }

    @Test
    void decodingLeavesThePayloadAsItWas() throws Exception {
        ByteBuf buf = Unpooled.wrappedBuffer(Captures.connect("ffmpeg-publish"));
        try {
            buf.readerIndex(0);
            ConnectCommand.decode(buf, false);
            assertEquals(0, buf.readerIndex());
            assertEquals(140, buf.writerIndex());
            assertEquals(1, buf.refCnt());
        } finally {
            buf.release();
        }
    }

    @Test
    void objectEncodingAndEcmaArrayCommandObject() throws Exception {
        ConnectCommand c = decode(new Amf0TestEncoder().string("connect").number(2)
                .ecmaArray(Amf0DecoderTest.map("app", "vod", "objectEncoding", 3.0)).toByteArray());
        assertEquals(2.0, c.transactionId());
        assertEquals("vod", c.app());
        assertEquals(3.0, c.objectEncoding());
    }

    @Test
    void namedFieldsThatAreNullCountAsAbsent() throws Exception {
        ConnectCommand c = decode(new Amf0TestEncoder().string("connect").number(1)
                .object(Amf0DecoderTest.map("app", null, "objectEncoding", null)).toByteArray());
        assertNull(c.app());
        assertNull(c.objectEncoding());
        assertTrue(c.properties().containsKey("app"));
    }

    @Test
    void propertiesAndArgumentsAreReadOnly() throws Exception {
        ConnectCommand c = decode(Captures.connect("rtmpdump-play-args"));
        assertThrows(UnsupportedOperationException.class, () -> c.properties().put("app", "x"));
        assertThrows(UnsupportedOperationException.class, () -> c.arguments().add("x"));

        Map<String, Object> props = Amf0DecoderTest.map("app", "a");
        List<Object> args = new ArrayList<>();
        ConnectCommand built = new ConnectCommand(1, "a", null, null, null, null, null, null, props, args);
        props.put("app", "b");
        args.add("x");
        assertEquals(Amf0DecoderTest.map("app", "a"), built.properties());
        assertEquals(List.of(), built.arguments());
    }

    @Test
    void anotherCommandIsRejected() {
        MalformedRtmpException e = rejected(new Amf0TestEncoder().string("play").number(0).nullValue()
                .string("stream"));
        assertEquals("expected connect, got 'play'", e.getMessage());
        assertEquals("expected connect, got a number", rejected(new Amf0TestEncoder().number(1)).getMessage());
        assertEquals("expected connect, got 'a?b'",
                rejected(new Amf0TestEncoder().string("a\nb")).getMessage(), "no line breaks in log lines");
    }

    @Test
    void malformedConnectsAreRejected() {
        assertEquals("connect transaction id is not a number",
                rejected(new Amf0TestEncoder().string("connect").string("1").object(Amf0DecoderTest.map())).getMessage());
        assertEquals("connect command object is null, not an object",
                rejected(new Amf0TestEncoder().string("connect").number(1).nullValue()).getMessage());
        assertEquals("connect command object is a strict array, not an object",
                rejected(new Amf0TestEncoder().string("connect").number(1).strictArray(List.of())).getMessage());
        assertEquals("connect app is a number, not a string",
                rejected(new Amf0TestEncoder().string("connect").number(1).object(Amf0DecoderTest.map("app", 1.0))).getMessage());
        assertEquals("connect tcUrl is an object, not a string",
                rejected(new Amf0TestEncoder().string("connect").number(1).object(Amf0DecoderTest.map("tcUrl", Amf0DecoderTest.map())))
                        .getMessage());
        assertEquals("connect flashVer is a boolean, not a string",
                rejected(new Amf0TestEncoder().string("connect").number(1).object(Amf0DecoderTest.map("flashVer", true)))
                        .getMessage());
        assertEquals("connect objectEncoding is '3', not a number",
                rejected(new Amf0TestEncoder().string("connect").number(1).object(Amf0DecoderTest.map("objectEncoding", "3")))
                        .getMessage());
        assertEquals("AMF0 value runs past the end of the message",
                rejected(new Amf0TestEncoder().string("connect").number(1)).getMessage());
    }

    @Test
    void trailingGarbageIsRejected() {
        byte[] body = Captures.connect("ffmpeg-publish");
        byte[] withGarbage = Arrays.copyOf(body, body.length + 2);
        withGarbage[body.length] = 0x12;
        MalformedRtmpException e = assertThrows(MalformedRtmpException.class, () -> decode(withGarbage));
        assertEquals("AMF0 marker 0x12 is not an AMF0 type", e.getMessage());

        byte[] truncated = Arrays.copyOf(body, body.length - 1);
        assertThrows(MalformedRtmpException.class, () -> decode(truncated));
    }

    @Test
    void roleFromFlashVerOrType() {
        assertEquals(Role.PUBLISHER, role("FMLE/3.0 (compatible; FMSc/1.0)", null));
        assertEquals(Role.PUBLISHER, role("LNX 10,0,32,18", "nonprivate"), "librtmp publishing");
        assertEquals(Role.PLAYER, role("LNX 10,0,32,18", null));
        assertEquals(Role.PLAYER, role(null, null));
        assertEquals(Role.PLAYER, role("fmle/3.0", "private"));
        assertEquals("publisher", Role.PUBLISHER.logName());
        assertEquals("player", Role.PLAYER.logName());
        assertEquals("unknown", Role.UNKNOWN.logName());
    }

    private static Role role(String flashVer, String type) {
        return new ConnectCommand(1, "live", null, flashVer, null, null, type, null, Map.of(), List.of()).role();
    }
}
