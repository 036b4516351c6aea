package io.rtmprouter.rtmp;

/**
 * An AMF0 date. The time zone is kept as sent although the spec says it should be zero and
 * readers ignore it.
 */
public record Amf0Date(double epochMillis, short timezone) {
}
