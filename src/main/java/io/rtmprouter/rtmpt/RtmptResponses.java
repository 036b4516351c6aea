package io.rtmprouter.rtmpt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;

/**
 * The replies of an RTMPT server. librtmp reads them with string matching, so the shape is
 * exact: a literal "HTTP/1.1 200 " status line, a "Content-Length" header spelled with that
 * case and one space after its colon, never chunked encoding.
 */
public final class RtmptResponses {
    /** librtmp looks for "Content-" case-sensitively; Netty's own constant is lower-case. */
    static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");
    static final AsciiString CONTENT_TYPE = AsciiString.cached("Content-Type");
    static final AsciiString CONNECTION = AsciiString.cached("Connection");
    static final AsciiString CACHE_CONTROL = AsciiString.cached("Cache-Control");
    static final AsciiString SERVER = AsciiString.cached("Server");
    public static final String FCS = "application/x-fcs";

    private RtmptResponses() {
    }

    /** The answer to /open/1: the session id and a newline (librtmp keeps Content-Length - 1 bytes). */
    public static FullHttpResponse opened(String sessionId, boolean keepAlive) {
        return ok(Unpooled.copiedBuffer(sessionId + "\n", StandardCharsets.US_ASCII), keepAlive);
    }

    /** A send/idle reply: the polling interval byte, then the server's bytes (owned by the reply now). */
    public static FullHttpResponse data(int pollingInterval, ByteBuf serverBytes, boolean keepAlive) {
        ByteBuf body = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(new byte[] {(byte) pollingInterval}), serverBytes);
        return ok(body, keepAlive);
    }

    /** The close reply: a single zero byte. */
    public static FullHttpResponse closed(boolean keepAlive) {
        return ok(Unpooled.wrappedBuffer(new byte[] {0}), keepAlive);
    }

    private static FullHttpResponse ok(ByteBuf body, boolean keepAlive) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        r.headers().set(CONTENT_TYPE, FCS);
        r.headers().set(CACHE_CONTROL, "no-cache");
        return finish(r, keepAlive);
    }

    /** An error reply, with a one-line plain-text reason. */
    public static FullHttpResponse error(HttpResponseStatus status, String reason, boolean keepAlive) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(reason + "\n", StandardCharsets.UTF_8));
        r.headers().set(CONTENT_TYPE, "text/plain; charset=utf-8");
        if (status == HttpResponseStatus.METHOD_NOT_ALLOWED) {
            r.headers().set("Allow", "POST");
        }
        return finish(r, keepAlive);
    }

    private static FullHttpResponse finish(FullHttpResponse r, boolean keepAlive) {
        r.headers().set(SERVER, "rtmp-router");
        r.headers().set(CONTENT_LENGTH, r.content().readableBytes());
        r.headers().set(CONNECTION, keepAlive ? "Keep-Alive" : "close");
        return r;
    }
}
