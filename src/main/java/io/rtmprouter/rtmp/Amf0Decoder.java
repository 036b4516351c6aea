package io.rtmprouter.rtmp;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads AMF0 values from a buffer that comes from the network, so nothing in it is trusted:
 * every length is checked against the bytes actually present before anything is allocated, and
 * nesting is limited. The buffer stays the caller's; only its reader index moves.
 *
 * <p>Numbers are {@link Double}, strings {@link String}, objects and ECMA arrays unmodifiable
 * ordered maps, strict arrays unmodifiable lists, null and undefined Java {@code null}; dates,
 * XML and typed objects are {@link Amf0Date}, {@link Amf0Xml} and {@link Amf0TypedObject}.
 */
public final class Amf0Decoder {
    /** Deepest nesting of objects and arrays accepted; real clients use two or three levels. */
    public static final int MAX_DEPTH = 32;
    /**
     * References per decoder. Each one shares a whole earlier value, so n of them nested can make
     * a value 2^n nodes large to whoever walks it (equals, toString, a log line) out of a few
     * bytes. Connect commands use none; 8 keeps the worst case at 256 times the input.
     */
    public static final int MAX_REFERENCES = 8;

    private static final int NUMBER = 0x00;
    private static final int BOOLEAN = 0x01;
    private static final int STRING = 0x02;
    private static final int OBJECT = 0x03;
    private static final int NULL = 0x05;
    private static final int UNDEFINED = 0x06;
    private static final int REFERENCE = 0x07;
    private static final int ECMA_ARRAY = 0x08;
    private static final int OBJECT_END = 0x09;
    private static final int STRICT_ARRAY = 0x0A;
    private static final int DATE = 0x0B;
    private static final int LONG_STRING = 0x0C;
    private static final int XML_DOCUMENT = 0x0F;
    private static final int TYPED_OBJECT = 0x10;

    /** Stands in the reference table for a complex value whose decoding has begun but not ended. */
    private static final Object IN_PROGRESS = new Object();

    private final ByteBuf in;
    // Complex values in the order their decoding began, which is how AMF0 references count them.
    private final List<Object> references = new ArrayList<>();
    private int referencesRead;

    public Amf0Decoder(ByteBuf in) {
        this.in = in;
    }

    /** Whether any bytes are left to read. */
    public boolean hasMore() {
        return in.isReadable();
    }

    /**
     * Reads the next value. References resolve against values read earlier by this decoder.
     * After an exception the reader index is somewhere inside the bad value.
     */
    public Object readValue() throws MalformedRtmpException {
        return readValue(0);
    }

    private Object readValue(int depth) throws MalformedRtmpException {
        need(1, "AMF0 value");
        int marker = in.readUnsignedByte();
        switch (marker) {
            case NUMBER:
                need(8, "AMF0 number");
                return in.readDouble();
            case BOOLEAN:
                need(1, "AMF0 boolean");
                return in.readByte() != 0;
            case STRING:
                return readUtf8(readU16("AMF0 string length"), "AMF0 string");
            case LONG_STRING:
                return readUtf8(readU32("AMF0 long string length"), "AMF0 long string");
            case XML_DOCUMENT:
                return new Amf0Xml(readUtf8(readU32("AMF0 XML length"), "AMF0 XML document"));
            case NULL:
            case UNDEFINED:
                return null;
            case DATE:
                need(10, "AMF0 date");
                return new Amf0Date(in.readDouble(), in.readShort());
            case REFERENCE:
                return readReference();
            case OBJECT:
                return readComplex(depth, () -> readProperties(depth + 1, "AMF0 object"));
            case ECMA_ARRAY:
                // The count is only a hint: writers disagree on it, the end marker is what counts.
                readU32("AMF0 ECMA array count");
                return readComplex(depth, () -> readProperties(depth + 1, "AMF0 ECMA array"));
            case STRICT_ARRAY:
                return readComplex(depth, () -> readStrictArray(depth + 1));
            case TYPED_OBJECT:
                return readComplex(depth, () -> {
                    String className = readUtf8(readU16("AMF0 class name length"), "AMF0 class name");
                    return new Amf0TypedObject(className, readProperties(depth + 1, "AMF0 typed object"));
                });
            default:
                throw new MalformedRtmpException(String.format("AMF0 marker 0x%02X %s", marker, unsupported(marker)));
        }
    }

    private static String unsupported(int marker) {
        return switch (marker) {
            case 0x04 -> "(movieclip) is reserved";
            case OBJECT_END -> "(object end) outside an object";
            case 0x0D -> "(unsupported) cannot be decoded";
            case 0x0E -> "(recordset) is reserved";
            case 0x11 -> "(switch to AMF3) is not supported";
            default -> "is not an AMF0 type";
        };
    }

    private interface Body {
        Object read() throws MalformedRtmpException;
    }

    private Object readComplex(int depth, Body body) throws MalformedRtmpException {
        if (depth >= MAX_DEPTH) {
            throw new MalformedRtmpException("AMF0 values nested deeper than " + MAX_DEPTH + " levels");
        }
        int index = references.size();
        references.add(IN_PROGRESS);
        Object value = body.read();
        references.set(index, value);
        return value;
    }

    private Object readReference() throws MalformedRtmpException {
        int index = readU16("AMF0 reference");
        if (++referencesRead > MAX_REFERENCES) {
            throw new MalformedRtmpException("more than " + MAX_REFERENCES + " AMF0 references in one message");
        }
        if (index >= references.size()) {
            throw new MalformedRtmpException("AMF0 reference " + index + " to an unknown value ("
                    + references.size() + " so far)");
        }
        Object value = references.get(index);
        // A value that refers to itself would make a cycle no caller expects.
        if (value == IN_PROGRESS) {
            throw new MalformedRtmpException("AMF0 reference " + index + " points into the value containing it");
        }
        return value;
    }

    private Map<String, Object> readProperties(int depth, String what) throws MalformedRtmpException {
        Map<String, Object> properties = new LinkedHashMap<>();
        while (true) {
            String key = readUtf8(readU16(what + " key length"), what + " key");
            // 00 00 09 ends the object; an empty key before any other marker is a property named "".
            if (key.isEmpty()) {
                need(1, what + " end marker");
                if (in.getUnsignedByte(in.readerIndex()) == OBJECT_END) {
                    in.skipBytes(1);
                    return Collections.unmodifiableMap(properties);
                }
            }
            // A repeated key keeps its last value, as Flash Player does.
            properties.put(key, readValue(depth));
        }
    }

    private List<Object> readStrictArray(int depth) throws MalformedRtmpException {
        long count = readU32("AMF0 strict array count");
        // Each element takes at least its marker byte, so a count beyond the bytes left is a lie.
        if (count > in.readableBytes()) {
            throw new MalformedRtmpException("AMF0 strict array claims " + count + " elements but only "
                    + in.readableBytes() + " bytes remain");
        }
        List<Object> values = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            values.add(readValue(depth));
        }
        return Collections.unmodifiableList(values);
    }

    private int readU16(String what) throws MalformedRtmpException {
        need(2, what);
        return in.readUnsignedShort();
    }

    private long readU32(String what) throws MalformedRtmpException {
        need(4, what);
        return in.readUnsignedInt();
    }

    private String readUtf8(long length, String what) throws MalformedRtmpException {
        need(length, what);
        ByteBuffer bytes = in.nioBuffer(in.readerIndex(), (int) length);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedRtmpException(what + " is not valid UTF-8");
        }
        in.skipBytes((int) length);
        return text;
    }

    private void need(long bytes, String what) throws MalformedRtmpException {
        if (in.readableBytes() < bytes) {
            throw new MalformedRtmpException(what + " runs past the end of the message");
        }
    }
}
