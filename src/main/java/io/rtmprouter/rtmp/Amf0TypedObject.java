package io.rtmprouter.rtmp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** An AMF0 object tagged with an ActionScript class name; properties keep their order and may be null. */
public record Amf0TypedObject(String className, Map<String, Object> properties) {
    public Amf0TypedObject {
        Objects.requireNonNull(className, "className");
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }
}
