package io.rtmprouter.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rtmprouter.testing.Amf0TestEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Amf0DecoderTest {
    private static final String ONE = "3FF0000000000000";
    private static final String TWO = "4000000000000000";

    /** Every value in the hex, asserting that they use up all of it. */
    private static List<Object> decodeAll(String hex) throws MalformedRtmpException {
        return decodeAll(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    static List<Object> decodeAll(byte[] bytes) throws MalformedRtmpException {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            Amf0Decoder amf = new Amf0Decoder(buf);
            List<Object> values = new ArrayList<>();
            while (amf.hasMore()) {
                values.add(amf.readValue());
            }
            assertEquals(bytes.length, buf.readerIndex());
            return values;
        } finally {
            buf.release();
        }
    }

    /** Like decodeAll, but reads at least one value even from empty input. */
    private static void readUntilEnd(byte[] bytes) throws MalformedRtmpException {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            Amf0Decoder amf = new Amf0Decoder(buf);
            do {
                amf.readValue();
            } while (amf.hasMore());
        } finally {
            buf.release();
        }
    }

    private static Object decode(String hex) throws MalformedRtmpException {
        List<Object> values = decodeAll(hex);
        assertEquals(1, values.size(), "values in " + hex);
        return values.get(0);
    }

    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    @Test
    void numbers() throws Exception {
        assertEquals(1.0, decode("00" + ONE));
        assertEquals(-0.0, decode("00 8000000000000000"));
        assertEquals(Double.NaN, decode("00 7FF8000000000000"));
        assertEquals(Double.NEGATIVE_INFINITY, decode("00 FFF0000000000000"));
        assertEquals(1935.0, decode("00 409E3C0000000000"));
    }

    @Test
    void booleans() throws Exception {
        assertEquals(false, decode("01 00"));
        assertEquals(true, decode("01 01"));
        assertEquals(true, decode("01 FF"), "any non-zero byte is true");
    }

    @Test
    void strings() throws Exception {
        assertEquals("hello", decode("02 0005 68656C6C6F"));
        assertEquals("", decode("02 0000"));
        assertEquals("é€😀", decode("02 0009 C3A9 E282AC F09F9880"));
        assertEquals("abc", decode("0C 00000003 616263"));
        assertEquals("", decode("0C 00000000"));
    }

    @Test
    void longStringOverSixtyFourKilobytes() throws Exception {
        String text = "ü".repeat(40_000);
        assertEquals(text, decodeAll(new Amf0TestEncoder().value(text).toByteArray()).get(0));
    }

    @Test
    void nullAndUndefinedAreJavaNull() throws Exception {
        assertEquals(Arrays.asList(null, null), decodeAll("05 06"));
    }

    @Test
    void objectKeepsOrderAllowsNullAndIsReadOnly() throws Exception {
        Object value = decode("03 0001 62 00" + ONE + " 0001 61 05 0001 63 06 0000 09");
        assertEquals(map("b", 1.0, "a", null, "c", null), value);
        assertEquals(List.of("b", "a", "c"), new ArrayList<>(((Map<?, ?>) value).keySet()));
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) value;
        assertThrows(UnsupportedOperationException.class, () -> m.put("d", 1.0));
    }

    @Test
    void emptyObject() throws Exception {
        assertEquals(Map.of(), decode("03 0000 09"));
    }

    @Test
    void duplicateKeyKeepsTheLastValue() throws Exception {
        assertEquals(map("a", 2.0), decode("03 0001 61 00" + ONE + " 0001 61 00" + TWO + " 0000 09"));
    }

    @Test
    void emptyKeyFollowedByAValueIsAProperty() throws Exception {
        assertEquals(map("", true), decode("03 0000 01 01 0000 09"));
    }

    @Test
    void ecmaArrayCountIsOnlyAHint() throws Exception {
        assertEquals(map("x", 1.0), decode("08 00000001 0001 78 00" + ONE + " 0000 09"));
        assertEquals(map("x", 1.0), decode("08 00000000 0001 78 00" + ONE + " 0000 09"));
        assertEquals(map("x", 1.0), decode("08 000000FF 0001 78 00" + ONE + " 0000 09"));
    }

    @Test
    void strictArrayAllowsNullAndIsReadOnly() throws Exception {
        Object value = decode("0A 00000003 00" + ONE + " 05 02 0001 61");
        assertEquals(Arrays.asList(1.0, null, "a"), value);
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) value;
        assertThrows(UnsupportedOperationException.class, () -> list.add(2.0));
        assertEquals(List.of(), decode("0A 00000000"));
    }

    @Test
    void date() throws Exception {
        assertEquals(new Amf0Date(1.0, (short) -60), decode("0B " + ONE + " FFC4"));
    }

    @Test
    void xml() throws Exception {
        assertEquals(new Amf0Xml("<a/>"), decode("0F 00000004 3C612F3E"));
    }

    @Test
    void typedObject() throws Exception {
        assertEquals(new Amf0TypedObject("Foo", map("x", true)), decode("10 0003 466F6F 0001 78 0101 0000 09"));
    }

    @Test
    void referencesCountComplexValuesInTheOrderTheyBegin() throws Exception {
        // [ {a:1}, ref 1 ] : the array itself is reference 0, the object inside it reference 1.
        List<?> list = (List<?>) decode("0A 00000002 03 0001 61 00" + ONE + " 0000 09 07 0001");
        assertEquals(map("a", 1.0), list.get(0));
        assertSame(list.get(0), list.get(1));

        List<Object> values = decodeAll("08 00000000 0000 09 10 0001 54 0000 09 07 0000 07 0001");
        assertSame(values.get(0), values.get(2));
        assertSame(values.get(1), values.get(3));
    }

    @Test
    void referencesThatWouldDoubleTheValueAtEveryLevelAreCapped() throws Exception {
        // level n = [ref n-1, ref n-1]: 9 levels would be 512 leaves from 60 bytes
        StringBuilder hex = new StringBuilder("0A 00000000 ");
        for (int level = 1; level <= 4; level++) {
            hex.append("0A 00000002 07 ").append(String.format("%04X", level - 1)).append(" 07 ")
                    .append(String.format("%04X", level - 1)).append(' ');
        }
        assertEquals(5, decodeAll(hex.toString()).size(), "8 references are accepted");
        hex.append("0A 00000001 07 0000");
        MalformedRtmpException e = assertThrows(MalformedRtmpException.class, () -> decodeAll(hex.toString()));
        assertEquals("more than 8 AMF0 references in one message", e.getMessage());
    }

    @Test
    void nestingUpToMaxDepthIsAccepted() throws Exception {
        Object value = decodeAll(nestedObjects(Amf0Decoder.MAX_DEPTH)).get(0);
        int depth = 0;
        while (value instanceof Map<?, ?> m) {
            depth++;
            value = m.get("k");
        }
        assertEquals(Amf0Decoder.MAX_DEPTH, depth);
    }

    @Test
    void nestingBeyondMaxDepthIsRejected() {
        MalformedRtmpException e = assertThrows(MalformedRtmpException.class,
                () -> decodeAll(nestedObjects(Amf0Decoder.MAX_DEPTH + 1)));
        assertTrue(e.getMessage().contains("nested deeper than 32"), e.getMessage());
    }

    @Test
    void nestedStrictArraysCountTowardsTheDepth() {
        String hex = "0A 00000001 ".repeat(33) + "05";
        assertThrows(MalformedRtmpException.class, () -> decodeAll(hex));
    }

    /** {k: {k: ... {k: null}}} with the given number of objects. */
    private static byte[] nestedObjects(int levels) {
        Object value = null;
        for (int i = 0; i < levels; i++) {
            value = map("k", value);
        }
        return new Amf0TestEncoder().value(value).toByteArray();
    }

    @Test
    void decoderMovesTheReaderIndexButLeavesOwnership() throws Exception {
        ByteBuf buf = Unpooled.wrappedBuffer(HexFormat.of().parseHex("0101" + "05"));
        try {
            Amf0Decoder amf = new Amf0Decoder(buf);
            assertEquals(true, amf.readValue());
            assertEquals(2, buf.readerIndex());
            assertTrue(amf.hasMore());
            assertNull(amf.readValue());
            assertFalse(amf.hasMore());
            assertEquals(1, buf.refCnt());
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty input                    |                                        | AMF0 value runs past the end
            truncated number               | 00 3FF000                              | AMF0 number runs past the end
            truncated boolean              | 01                                     | AMF0 boolean runs past
            truncated string length        | 02 00                                  | AMF0 string length runs past
            truncated string               | 02 0005 6865                           | AMF0 string runs past the end
            truncated long string          | 0C 00000005 6865                       | AMF0 long string runs past
            long string length 2^32-1      | 0C FFFFFFFF 61                         | AMF0 long string runs past
            truncated date                 | 0B 3FF0000000000000 00                 | AMF0 date runs past
            truncated XML                  | 0F 00000004 3C61                       | AMF0 XML document runs past
            truncated object key           | 03 0005 6162                           | AMF0 object key runs past
            truncated object value         | 03 0001 61 00 3FF0                     | AMF0 number runs past
            object without end marker      | 03 0001 61 05                          | AMF0 object key length runs past
            object end cut after 00 00     | 03 0001 61 05 0000                     | AMF0 object end marker runs past
            truncated ECMA count           | 08 0000                                | AMF0 ECMA array count runs past
            ECMA array without end marker  | 08 00000001 0001 61 05                 | AMF0 ECMA array key length runs past
            truncated typed class name     | 10 0005 41                             | AMF0 class name runs past
            truncated strict array         | 0A 00000002 01 01                      | AMF0 value runs past
            strict array count 2^31        | 0A 80000000 05 05                      | strict array claims 2147483648 elements
            strict array count 2^32-1      | 0A FFFFFFFF                            | strict array claims 4294967295 elements
            truncated reference            | 07 00                                  | AMF0 reference runs past
            unknown reference              | 07 0000                                | AMF0 reference 0 to an unknown value
            reference past the table       | 03 0000 09 07 0001                     | AMF0 reference 1 to an unknown value
            reference to the enclosing one | 03 0001 61 07 0000 0000 09             | points into the value containing it
            AMF3 switch                    | 11 04 01                               | 0x11 (switch to AMF3)
            movieclip marker               | 04                                     | 0x04
            object end out of place        | 09                                     | 0x09 (object end) outside an object
            object end as a value          | 03 0001 61 09                          | 0x09 (object end)
            unsupported marker             | 0D                                     | 0x0D
            recordset marker               | 0E                                     | 0x0E
            marker past the last type      | 12                                     | AMF0 marker 0x12 is not an AMF0 type
            marker 0xFF                    | FF                                     | AMF0 marker 0xFF
            bad UTF-8 continuation         | 02 0002 C328                           | AMF0 string is not valid UTF-8
            overlong UTF-8 NUL             | 02 0002 C080                           | AMF0 string is not valid UTF-8
            UTF-8 encoded surrogate        | 02 0003 EDA080                         | AMF0 string is not valid UTF-8
            bad UTF-8 in a key             | 03 0001 FF 05 0000 09                  | AMF0 object key is not valid UTF-8
            bad UTF-8 in a long string     | 0C 00000001 80                         | AMF0 long string is not valid UTF-8
            """)
    void malformedInputIsRejected(String name, String hex, String reason) {
        byte[] bytes = HexFormat.of().parseHex(hex == null ? "" : hex.replace(" ", ""));
        MalformedRtmpException e = assertThrows(MalformedRtmpException.class, () -> readUntilEnd(bytes));
        assertTrue(e.getMessage().contains(reason), name + ": got '" + e.getMessage() + "'");
    }
}
