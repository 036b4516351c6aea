package io.rtmprouter.rtmp;

import io.rtmprouter.testing.Amf0TestEncoder;
import io.rtmprouter.testing.Captures;
import io.rtmprouter.testing.Amf0TestEncoder.EcmaArray;
import io.rtmprouter.testing.Amf0TestEncoder.LongString;
import org.apache.mina.core.buffer.IoBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.AssertionFailedError;
import org.red5.io.amf.Input;
import org.red5.io.object.Deserializer;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

import static io.rtmprouter.testing.Amf0TestEncoder.UNDEFINED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Red5's AMF0 reader (red5-io 1.3.37, a server that has decoded Flash traffic for years) and ours
 * must read the same bytes as the same values: the real connect commands, then thousands of
 * generated values.
 *
 * <p>Both sides are compared after this normalisation, which only removes differences of
 * representation: maps become ordered key/value lists (red5's ObjectMap and our read-only map;
 * red5 turns integer-looking ECMA array keys into Integer keys, so keys compare as text); AMF0
 * undefined is null on both sides; a date becomes its whole milliseconds (red5 holds a
 * java.util.Date, which truncates the double and drops the time zone, which the spec says
 * readers ignore); a typed object becomes its properties (red5 cannot load our class names, so
 * it keeps only the properties).
 *
 * <p>Where red5 departs from the AMF0 spec the generated values avoid it, and
 * {@link #red5DepartsFromTheSpecHere} shows each such case: booleans other than 0/1, the
 * numbering of references, XML, ECMA array keys "length" and large integers. Generated values
 * also contain no references (red5 numbers them differently) and no invalid input (red5 is
 * lenient where we reject on purpose).
 */
class Amf0Red5AgreementTest {
    private static final long SEED = 0x2F1A_AF00_5EEDL;
    private static final int CASES = 5000;
    private static final int MAX_GENERATED_DEPTH = 6;

    // --- the real connects ---------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"ffmpeg-publish", "ffmpeg-play", "rtmpdump-play", "rtmpdump-play-args"})
    void capturedConnect(String name) throws Exception {
        byte[] body = Captures.connect(name);
        List<Object> ours = Amf0DecoderTest.decodeAll(body);
        assertEquals("connect", ours.get(0));
        assertAgree(name, body, ours);
    }

    @Test
    void obsConnect() throws Exception {
        byte[] body = Amf0TestEncoder.obsConnect(1, "live", "rtmp://127.0.0.1:1935/live");
        assertAgree("obs", body, Amf0DecoderTest.decodeAll(body));
    }

    // --- generated values ----------------------------------------------------------------------

    @Test
    void generatedValues() throws Exception {
        Random random = new Random(SEED);
        int longStrings = 0;
        for (int i = 0; i < CASES; i++) {
            String where = "case " + i + " of seed 0x" + Long.toHexString(SEED);
            List<Object> model = new ArrayList<>();
            int count = 1 + random.nextInt(3);
            for (int v = 0; v < count; v++) {
                model.add(value(random, 0));
            }
            Amf0TestEncoder encoder = new Amf0TestEncoder();
            model.forEach(encoder::value);
            byte[] bytes = encoder.toByteArray();
            longStrings += bytes.length > 0x10000 ? 1 : 0;

            List<Object> ours;
            try {
                ours = Amf0DecoderTest.decodeAll(bytes);
            } catch (MalformedRtmpException e) {
                throw new AssertionFailedError(where + ": our decoder rejected valid AMF0 " + hex(bytes), e);
            }
            List<Object> expected = new ArrayList<>();
            model.forEach(m -> expected.add(expected(m)));
            if (!ordered(expected).equals(ordered(ours))) {
                fail(where + ": our decoder read " + clip(ours) + " but " + clip(expected) + " was written: "
                        + hex(bytes));
            }
            assertAgree(where, bytes, ours);
        }
        assertTrue(longStrings > 10, "only " + longStrings + " cases had a long string");
    }

    private static Object value(Random r, int depth) {
        int containers = depth < MAX_GENERATED_DEPTH ? 4 : 0;
        switch (r.nextInt(9 + containers)) {
            case 0, 1:
                return number(r);
            case 2:
                return r.nextBoolean();
            case 3, 4:
                return string(r);
            case 5:
                return null;
            case 6:
                return UNDEFINED;
            case 7:
                return date(r);
            case 8:
                return r.nextInt(50) == 0 ? new LongString(string(r)) : string(r);
            case 9: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int n = r.nextInt(6); n > 0; n--) {
                    m.put(key(r), value(r, depth + 1));
                }
                return m;
            }
            case 10: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int n = r.nextInt(6); n > 0; n--) {
                    m.put(ecmaKey(r), value(r, depth + 1));
                }
                return new EcmaArray(m);
            }
            case 11: {
                List<Object> l = new ArrayList<>();
                for (int n = r.nextInt(6); n > 0; n--) {
                    l.add(value(r, depth + 1));
                }
                return l;
            }
            default: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int n = r.nextInt(4); n > 0; n--) {
                    m.put(key(r), value(r, depth + 1));
                }
                return new Amf0TypedObject("io.rtmprouter.generated.Type" + r.nextInt(100), m);
            }
        }
    }

    private static final double[] SPECIAL_NUMBERS = {Double.NaN, 0.0, -0.0, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1.0, -1.0,
            9007199254740993.0, 4294967296.0, 0.1};

    private static double number(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> SPECIAL_NUMBERS[r.nextInt(SPECIAL_NUMBERS.length)];
            case 1 -> r.nextInt(100_000) - 50_000;
            case 2 -> r.nextGaussian() * 1e6;
            default -> Double.longBitsToDouble(r.nextLong());
        };
    }

    private static Amf0Date date(Random r) {
        double millis = switch (r.nextInt(4)) {
            case 0 -> (double) (r.nextLong() % 8_640_000_000_000_000L);
            case 1 -> 1.7e12 + r.nextDouble() * 1e9;
            case 2 -> SPECIAL_NUMBERS[r.nextInt(SPECIAL_NUMBERS.length)];
            default -> 0;
        };
        return new Amf0Date(millis, (short) r.nextInt(1 << 16));
    }

    /** Text from several scripts, emoji included; one in a hundred is over 65535 UTF-8 bytes. */
    private static String string(Random r) {
        return r.nextInt(100) == 0 ? text(r, 22_000 + r.nextInt(2_000)) : key(r);
    }

    /** Short text, as object keys must be. */
    private static String key(Random r) {
        return text(r, r.nextInt(r.nextBoolean() ? 4 : 24));
    }

    private static String text(Random r, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.appendCodePoint(switch (r.nextInt(length > 1000 ? 1 : 6)) {
                case 0 -> 0x4E00 + r.nextInt(0x5000);     // CJK, 3 UTF-8 bytes
                case 1 -> 0x00A0 + r.nextInt(0x0500);     // Latin-1 to Cyrillic, 2 bytes
                case 2 -> 0x1F300 + r.nextInt(0x0300);    // emoji, 4 bytes, a surrogate pair in Java
                case 3 -> r.nextInt(0x20);                // control characters, NUL included
                default -> 0x20 + r.nextInt(0x5F);
            });
        }
        return sb.toString();
    }

    /** Keys red5 keeps as they are: canonical integers or text starting with a letter, never "length". */
    private static String ecmaKey(Random r) {
        if (r.nextInt(3) == 0) {
            return Integer.toString(r.nextInt(1000));
        }
        String key = (char) ('a' + r.nextInt(26)) + key(r);
        return key.startsWith("length") ? "x" + key : key;
    }

    /** What our decoder must return for a value the encoder wrote from this model. */
    private static Object expected(Object model) {
        if (model == UNDEFINED) {
            return null;
        }
        if (model instanceof LongString l) {
            return l.text();
        }
        if (model instanceof EcmaArray a) {
            return expected(a.properties());
        }
        if (model instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put((String) k, expected(v)));
            return out;
        }
        if (model instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(expected(v)));
            return out;
        }
        if (model instanceof Amf0TypedObject t) {
            @SuppressWarnings("unchecked")
            Map<String, Object> properties = (Map<String, Object>) expected(t.properties());
            return new Amf0TypedObject(t.className(), properties);
        }
        return model;
    }

    /** Maps as ordered entry lists, so that equality also checks the order of keys. */
    private static Object ordered(Object value) {
        if (value instanceof Map<?, ?> m) {
            List<Object> entries = new ArrayList<>();
            m.forEach((k, v) -> entries.add(new SimpleImmutableEntry<>(k, ordered(v))));
            return new Properties(entries);
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(ordered(v)));
            return out;
        }
        if (value instanceof Amf0TypedObject t) {
            return List.of(t.className(), ordered(t.properties()));
        }
        return value;
    }

    private record Properties(List<Object> entries) {
    }

    private record WholeMillis(long millis) {
    }

    // --- where red5 departs from the spec ------------------------------------------------------

    private static final String ONE = "3FF0000000000000";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            // The spec reads any non-zero byte as true; red5 only 0x01.
            "boolean byte 0x02 | 01 02",
            // References count complex values in the order they begin, so the outer object is 0
            // and the inner one 1; red5 numbers an anonymous object when it ends.
            "reference numbering | 03 0001 61 03 0000 09 0001 62 07 0001 0000 09",
            // Only objects and arrays enter the reference table; red5 also counts dates.
            "date in the reference table | 0B " + ONE + " 0000 03 0000 09 07 0000",
            // red5 reads an XML document's U32 length as 0 and then fails.
            "XML document | 0F 00000004 3C612F3E",
            // red5 drops an ECMA array key named length, as if it were an Array's length.
            "ECMA array key length | 08 00000001 0006 6C656E677468 00" + ONE + " 0000 09",
            // red5 parses integer-looking ECMA array keys into an Integer and fails beyond 2^31.
            "ECMA array key 99999999999 | 08 00000001 000B 3939393939393939393939 05 0000 09",
    })
    void red5DepartsFromTheSpecHere(String row) throws Exception {
        String[] parts = row.split("\\|");
        byte[] bytes = HexFormat.of().parseHex(parts[1].replace(" ", ""));
        Object ours = normalise(Amf0DecoderTest.decodeAll(bytes));
        Object red5;
        try {
            red5 = normalise(decodeRed5(bytes));
        } catch (RuntimeException e) {
            return;
        }
        assertNotEquals(ours, red5, parts[0] + ": red5 now agrees (" + red5 + "), the exclusion can go");
    }

    @Test
    void disagreementFailsTheComparison() {
        byte[] bytes = HexFormat.of().parseHex("0102");
        assertThrows(AssertionFailedError.class, () -> assertAgree("boolean 0x02", bytes, Amf0DecoderTest.decodeAll(bytes)));
    }

    // --- the comparison ------------------------------------------------------------------------

    private static void assertAgree(String where, byte[] bytes, List<Object> ours) {
        List<Object> red5;
        try {
            red5 = decodeRed5(bytes);
        } catch (RuntimeException e) {
            throw new AssertionFailedError(where + ": red5 failed on " + hex(bytes), e);
        }
        Object a = normalise(ours);
        Object b = normalise(red5);
        if (!a.equals(b)) {
            throw new AssertionFailedError(where + ": decoders disagree on " + hex(bytes) + "\n ours: " + clip(a)
                    + "\n red5: " + clip(b));
        }
    }

    private static List<Object> decodeRed5(byte[] bytes) {
        IoBuffer buf = IoBuffer.wrap(bytes);
        Input in = new Input(buf);
        List<Object> values = new ArrayList<>();
        while (buf.hasRemaining()) {
            values.add(Deserializer.deserialize(in, Object.class));
        }
        return values;
    }

    /** The normalisation described on the class, for values from either decoder. */
    private static Object normalise(Object value) {
        if (value instanceof Map<?, ?> m) {
            List<Object> entries = new ArrayList<>();
            m.forEach((k, v) -> entries.add(new SimpleImmutableEntry<>(String.valueOf(k), normalise(v))));
            return new Properties(entries);
        }
        if (value instanceof Amf0TypedObject t) {
            return normalise(t.properties());
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(normalise(v)));
            return out;
        }
        if (value instanceof Amf0Date d) {
            return new WholeMillis((long) d.epochMillis());
        }
        if (value instanceof Date d) {
            return new WholeMillis(d.getTime());
        }
        if (value instanceof Amf0Xml x) {
            return x;
        }
        if (value == null || value instanceof Double || value instanceof Boolean || value instanceof String) {
            return value;
        }
        throw new AssertionFailedError("no normal form for " + value.getClass().getName() + ": " + clip(value));
    }

    private static String hex(byte[] bytes) {
        String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 400));
        return bytes.length > 400 ? hex + "... (" + bytes.length + " bytes)" : hex;
    }

    private static String clip(Object value) {
        String s = Objects.toString(value);
        return s.length() > 600 ? s.substring(0, 600) + "..." : s;
    }
}
