package io.rtmprouter.rtmp;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connect command a client opens every RTMP session with.
 *
 * @param properties the whole command object, named fields included, in the order sent
 * @param arguments  any values the client sent after the command object
 */
public record ConnectCommand(double transactionId, String app, String tcUrl, String flashVer, String swfUrl,
                             String pageUrl, String type, Double objectEncoding, Map<String, Object> properties,
                             List<Object> arguments) {

    public ConnectCommand {
        // AMF0 allows null values, which Map.copyOf and List.copyOf refuse.
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        arguments = Collections.unmodifiableList(new ArrayList<>(arguments));
    }

    /**
     * Decodes a whole command message body. The payload's indices and reference count are left
     * alone, so the caller can still forward the same bytes.
     *
     * @param amf3Command the body came as message type 17, which puts one 0x00 byte before the AMF0
     */
    public static ConnectCommand decode(ByteBuf payload, boolean amf3Command) throws MalformedRtmpException {
        ByteBuf in = payload.duplicate();
        if (amf3Command) {
            if (!in.isReadable()) {
                throw new MalformedRtmpException("AMF3 command message is empty");
            }
            int format = in.readUnsignedByte();
            if (format != 0) {
                throw new MalformedRtmpException(String.format("AMF3 command starts with 0x%02X, not 0x00", format));
            }
        }
        Amf0Decoder amf = new Amf0Decoder(in);
        Object name = amf.readValue();
        if (!"connect".equals(name)) {
            throw new MalformedRtmpException("expected connect, got " + describe(name));
        }
        if (!(amf.readValue() instanceof Double transactionId)) {
            throw new MalformedRtmpException("connect transaction id is not a number");
        }
        Object commandObject = amf.readValue();
        if (!(commandObject instanceof Map<?, ?>)) {
            throw new MalformedRtmpException("connect command object is " + describe(commandObject)
                    + ", not an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) commandObject;
        List<Object> arguments = new ArrayList<>();
        while (amf.hasMore()) {
            arguments.add(amf.readValue());
        }
        Object objectEncoding = properties.get("objectEncoding");
        if (objectEncoding != null && !(objectEncoding instanceof Double)) {
            throw new MalformedRtmpException("connect objectEncoding is " + describe(objectEncoding)
                    + ", not a number");
        }
        return new ConnectCommand(transactionId, string(properties, "app"), string(properties, "tcUrl"),
                string(properties, "flashVer"), string(properties, "swfUrl"), string(properties, "pageUrl"),
                string(properties, "type"), (Double) objectEncoding, properties, arguments);
    }

    private static String string(Map<String, Object> properties, String field) throws MalformedRtmpException {
        Object value = properties.get(field);
        if (value != null && !(value instanceof String)) {
            throw new MalformedRtmpException("connect " + field + " is " + describe(value) + ", not a string");
        }
        return (String) value;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "'" + printable(s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        }
        if (value instanceof Double) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof List<?>) {
            return "a strict array";
        }
        if (value instanceof Amf0Date) {
            return "a date";
        }
        if (value instanceof Amf0Xml) {
            return "an XML document";
        }
        return "a typed object";
    }

    // The text ends up in a one-line log entry; a client must not be able to break or forge lines.
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return sb.toString();
    }

    /** Publisher or player as guessed from connect alone; the publish or play command that follows decides. */
    public Role role() {
        boolean encoder = flashVer != null && flashVer.startsWith("FMLE/");
        return encoder || "nonprivate".equals(type) ? Role.PUBLISHER : Role.PLAYER;
    }
}
