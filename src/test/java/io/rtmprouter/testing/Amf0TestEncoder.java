package io.rtmprouter.testing;

import io.netty.buffer.ByteBuf;
import io.rtmprouter.rtmp.Amf0Date;
import io.rtmprouter.rtmp.Amf0TypedObject;
import io.rtmprouter.rtmp.Amf0Xml;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Writes AMF0 the way a client would, for tests that play one (an OBS-like publisher, hand-made
 * connect commands, generated values). Chain the calls, then take {@link #toByteArray()} or
 * {@link #writeTo(ByteBuf)}. {@link #value(Object)} maps Java values onto AMF0 the same way
 * {@code Amf0Decoder} maps them back, with {@link EcmaArray}, {@link LongString} and
 * {@link #UNDEFINED} for the kinds that have no Java type of their own.
 */
public final class Amf0TestEncoder {
    /** An ECMA array (0x08) rather than an anonymous object when passed to {@link #value(Object)}. */
    public record EcmaArray(Map<String, ?> properties) {
    }

    /** A long string (0x0C) when passed to {@link #value(Object)}, whatever its length. */
    public record LongString(String text) {
    }

    /** Stands for AMF0 undefined (0x06) in {@link #value(Object)}; Java null is written as AMF0 null. */
    public static final Object UNDEFINED = new Object() {
        @Override
        public String toString() {
            return "undefined";
        }
    };

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** The body of OBS's connect command (librtmp as OBS configures it), on csid 3 as type 20. */
    public static byte[] obsConnect(double transactionId, String app, String tcUrl) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("app", app);
        command.put("type", "nonprivate");
        command.put("flashVer", "FMLE/3.0 (compatible; FMSc/1.0)");
        command.put("swfUrl", tcUrl);
        command.put("tcUrl", tcUrl);
        return new Amf0TestEncoder().string("connect").number(transactionId).object(command).toByteArray();
    }

    public Amf0TestEncoder number(double value) {
        out.write(0x00);
        double8(value);
        return this;
    }

    public Amf0TestEncoder bool(boolean value) {
        out.write(0x01);
        out.write(value ? 1 : 0);
        return this;
    }

    /** A short string (0x02); throws if its UTF-8 form does not fit in 65535 bytes. */
    public Amf0TestEncoder string(String value) {
        out.write(0x02);
        utf8(value);
        return this;
    }

    public Amf0TestEncoder longString(String value) {
        out.write(0x0C);
        longUtf8(value);
        return this;
    }

    public Amf0TestEncoder xml(String text) {
        out.write(0x0F);
        longUtf8(text);
        return this;
    }

    public Amf0TestEncoder nullValue() {
        out.write(0x05);
        return this;
    }

    public Amf0TestEncoder undefined() {
        out.write(0x06);
        return this;
    }

    public Amf0TestEncoder date(double epochMillis, short timezone) {
        out.write(0x0B);
        double8(epochMillis);
        u16(timezone);
        return this;
    }

    public Amf0TestEncoder object(Map<String, ?> properties) {
        out.write(0x03);
        return properties(properties);
    }

    /** An ECMA array whose count field is the number of properties, as ffmpeg and Flash write it. */
    public Amf0TestEncoder ecmaArray(Map<String, ?> properties) {
        out.write(0x08);
        u32(properties.size());
        return properties(properties);
    }

    public Amf0TestEncoder typedObject(String className, Map<String, ?> properties) {
        out.write(0x10);
        utf8(className);
        return properties(properties);
    }

    public Amf0TestEncoder strictArray(List<?> values) {
        out.write(0x0A);
        u32(values.size());
        for (Object v : values) {
            value(v);
        }
        return this;
    }

    public Amf0TestEncoder reference(int index) {
        out.write(0x07);
        u16(index);
        return this;
    }

    /** Any value: strings over 65535 UTF-8 bytes become long strings, Number any number. */
    public Amf0TestEncoder value(Object v) {
        if (v == null) {
            return nullValue();
        }
        if (v == UNDEFINED) {
            return undefined();
        }
        if (v instanceof Number n) {
            return number(n.doubleValue());
        }
        if (v instanceof Boolean b) {
            return bool(b);
        }
        if (v instanceof String s) {
            return s.getBytes(UTF_8).length > 0xFFFF ? longString(s) : string(s);
        }
        if (v instanceof Map<?, ?> m) {
            return object(stringKeys(m));
        }
        if (v instanceof LongString l) {
            return longString(l.text());
        }
        if (v instanceof EcmaArray a) {
            return ecmaArray(a.properties());
        }
        if (v instanceof List<?> l) {
            return strictArray(l);
        }
        if (v instanceof Amf0Date d) {
            return date(d.epochMillis(), d.timezone());
        }
        if (v instanceof Amf0Xml x) {
            return xml(x.text());
        }
        if (v instanceof Amf0TypedObject t) {
            return typedObject(t.className(), t.properties());
        }
        throw new IllegalArgumentException("no AMF0 form for " + v.getClass().getName());
    }

    /** Raw bytes, for malformed input. */
    public Amf0TestEncoder raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    public ByteBuf writeTo(ByteBuf buf) {
        return buf.writeBytes(out.toByteArray());
    }

    private Amf0TestEncoder properties(Map<String, ?> properties) {
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            utf8(e.getKey());
            value(e.getValue());
        }
        raw(0x00, 0x00, 0x09);
        return this;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> stringKeys(Map<?, ?> m) {
        for (Object key : m.keySet()) {
            if (!(key instanceof String)) {
                throw new IllegalArgumentException("AMF0 keys are strings, not " + key);
            }
        }
        return (Map<String, ?>) m;
    }

    private void utf8(String s) {
        byte[] bytes = s.getBytes(UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("string of " + bytes.length + " UTF-8 bytes needs a long string");
        }
        u16(bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    private void longUtf8(String s) {
        byte[] bytes = s.getBytes(UTF_8);
        u32(bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    private void double8(double v) {
        long bits = Double.doubleToRawLongBits(v);
        u32((int) (bits >>> 32));
        u32((int) bits);
    }

    private void u16(int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private void u32(int v) {
        u16(v >>> 16);
        u16(v);
    }
}
