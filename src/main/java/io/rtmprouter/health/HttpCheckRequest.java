package io.rtmprouter.health;

import io.rtmprouter.config.CheckRule;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The bytes of an HTTP check's request, as HAProxy 2.6 writes them (captured from it). */
final class HttpCheckRequest {
    private HttpCheckRequest() {
    }

    /**
     * "METHOD URI VERSION", the headers with lower-case names, `content-length` when there is a
     * body, `connection: close` unless HTTP/1.0, a blank line, the body.
     */
    static byte[] encode(CheckRule.HttpRequest r) {
        StringBuilder s = new StringBuilder();
        s.append(r.method()).append(' ').append(r.uri()).append(' ').append(r.version()).append("\r\n");
        for (CheckRule.Header h : r.headers()) {
            s.append(h.name().toLowerCase(Locale.ROOT)).append(": ").append(h.value()).append("\r\n");
        }
        if (!r.body().isEmpty()) {
            s.append("content-length: ").append(r.body().getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n");
        }
        if (!r.version().equals("HTTP/1.0")) {
            s.append("connection: close\r\n");
        }
        s.append("\r\n").append(r.body());
        return s.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
