package io.rtmprouter.rtmp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes the AMF0 values an RTMP client sends in its commands: numbers, booleans, strings,
 * null and anonymous objects (nested as maps). Enough for connect, createStream and play.
 */
public final class Amf0Encoder {
    private static final int NUMBER = 0x00;
    private static final int BOOLEAN = 0x01;
    private static final int STRING = 0x02;
    private static final int OBJECT = 0x03;
    private static final int NULL = 0x05;
    private static final int OBJECT_END = 0x09;

    private final ByteBuf out;

    public Amf0Encoder(ByteBuf out) {
        this.out = out;
    }

    public Amf0Encoder value(Object v) {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof Number n) {
            out.writeByte(NUMBER);
            out.writeDouble(n.doubleValue());
        } else if (v instanceof Boolean b) {
            out.writeByte(BOOLEAN);
            out.writeByte(b ? 1 : 0);
        } else if (v instanceof String s) {
            out.writeByte(STRING);
            utf8(s);
        } else if (v instanceof Map<?, ?> m) {
            out.writeByte(OBJECT);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                utf8((String) e.getKey());
                value(e.getValue());
            }
            out.writeShort(0);
            out.writeByte(OBJECT_END);
        } else {
            throw new IllegalArgumentException("no AMF0 form for " + v.getClass().getName());
        }
        return this;
    }

    private void utf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xFFFF) {
            throw new IllegalArgumentException("an AMF0 short string holds at most 65535 bytes");
        }
        out.writeShort(b.length);
        out.writeBytes(b);
    }
}
