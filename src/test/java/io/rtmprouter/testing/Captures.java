package io.rtmprouter.testing;

import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;

import static java.nio.charset.StandardCharsets.US_ASCII;

/** Bytes captured from real clients, stored as hex text under src/test/resources. */
public final class Captures {
    private Captures() {
    }

    /** A resource holding hex digits (blanks at the ends ignored), as bytes. */
    public static byte[] hex(String resource) {
        try (InputStream in = Captures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("no captured bytes at " + resource);
            }
            return HexFormat.of().parseHex(new String(in.readAllBytes(), US_ASCII).strip());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The body of a connect command captured from a real client (src/test/resources/connect/). */
    public static byte[] connect(String name) {
        return hex("/connect/" + name + ".hex");
    }
}
