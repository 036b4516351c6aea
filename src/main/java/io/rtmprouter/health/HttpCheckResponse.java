package io.rtmprouter.health;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What an HTTP check has read of its server's answer so far: the status line once the headers
 * are complete, and the body, complete when its Content-Length is reached, at the end of the
 * connection, or when the check's buffer is full.
 */
final class HttpCheckResponse {
    /** The headers are not complete yet. */
    static final HttpCheckResponse INCOMPLETE = new HttpCheckResponse(false, false, 0, "", new byte[0], false);
    /** What was read is not an HTTP response. */
    static final HttpCheckResponse INVALID = new HttpCheckResponse(true, true, 0, "", new byte[0], true);

    final boolean headersComplete;
    final boolean invalid;
    final int status;
    final String reason;
    final byte[] body;
    final boolean bodyComplete;

    private HttpCheckResponse(boolean headersComplete, boolean invalid, int status, String reason, byte[] body,
                              boolean bodyComplete) {
        this.headersComplete = headersComplete;
        this.invalid = invalid;
        this.status = status;
        this.reason = reason;
        this.body = body;
        this.bodyComplete = bodyComplete;
    }

    /** @param lastRead nothing more will come (end of the connection, or the buffer is full) */
    static HttpCheckResponse of(byte[] buffer, int length, boolean lastRead) {
        int end = headersEnd(buffer, length);
        if (end < 0) {
            return lastRead && length > 0 ? INVALID : INCOMPLETE;
        }
        String head = new String(buffer, 0, end, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r?\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/") || !statusLine[1].matches("\\d{3}")) {
            return INVALID;
        }
        long contentLength = -1;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("content-length")) {
                try {
                    contentLength = Long.parseLong(lines[i].substring(colon + 1).strip());
                } catch (NumberFormatException e) {
                    return INVALID;
                }
            }
        }
        int bodyStart = end + (buffer[end] == '\r' ? 4 : 2);
        int bodyLength = Math.max(0, length - bodyStart);
        if (contentLength >= 0) {
            bodyLength = (int) Math.min(bodyLength, contentLength);
        }
        byte[] body = new byte[bodyLength];
        System.arraycopy(buffer, Math.min(bodyStart, length), body, 0, bodyLength);
        boolean complete = lastRead || contentLength >= 0 && bodyLength >= contentLength;
        return new HttpCheckResponse(true, false, Integer.parseInt(statusLine[1]),
                statusLine.length > 2 ? statusLine[2].strip() : "", body, complete);
    }

    /** Index of the blank line ending the headers ("\r\n\r\n" or "\n\n"), or -1. */
    private static int headersEnd(byte[] b, int length) {
        for (int i = 0; i + 1 < length; i++) {
            if (b[i] == '\n' && b[i + 1] == '\n') {
                return i;
            }
            if (i + 3 < length && b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
