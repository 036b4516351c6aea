package io.rtmprouter.rtmp;

import java.util.Objects;

/** An AMF0 XML document, kept as its text so that it stays apart from a plain string. */
public record Amf0Xml(String text) {
    public Amf0Xml {
        Objects.requireNonNull(text, "text");
    }
}
