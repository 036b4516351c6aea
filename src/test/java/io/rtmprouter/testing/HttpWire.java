package io.rtmprouter.testing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * HTTP/1.1 as bytes on the wire: the requests an RTMPT client writes, and the responses read
 * back, unparsed by Netty, from what an EmbeddedChannel wrote. Reading them raw is the point:
 * librtmp matches the status line and header names as strings.
 */
public final class HttpWire {
    private HttpWire() {
    }

    /** A response as it was written: its status line, its header lines in order, its body. */
    public record Response(String statusLine, List<String> headerLines, byte[] body) {
        /** The value of the header spelled exactly `name` (case-sensitive, as librtmp looks for it). */
        public Optional<String> header(String name) {
            String prefix = name + ": ";
            return headerLines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                    .findFirst();
        }

        public int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        public String bodyText() {
            return new String(body, US_ASCII);
        }
    }

    /**
     * A POST exactly as librtmp writes its RTMPT requests (HTTP_Post in rtmp.c): note the
     * lower-case "Content-length" and "Content-type" it sends.
     */
    public static byte[] librtmpPost(String path, byte[] body) {
        String head = "POST " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:1935\r\n"
                + "Accept: */*\r\n"
                + "User-Agent: Shockwave Flash\r\n"
                + "Connection: Keep-Alive\r\n"
                + "Cache-Control: no-cache\r\n"
                + "Content-type: application/x-fcs\r\n"
                + "Content-length: " + body.length + "\r\n\r\n";
        return RtmpChunks.concat(head.getBytes(US_ASCII), body);
    }

    /** Sends a librtmp-shaped POST on a real socket and reads the one response to it. */
    public static Response exchange(java.net.Socket s, String path, byte[] body) throws java.io.IOException {
        s.getOutputStream().write(librtmpPost(path, body));
        java.io.InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        byte[] blankLine = "\r\n\r\n".getBytes(US_ASCII);
        while (indexOf(head.toByteArray(), blankLine, 0) < 0) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed in a response head: " + head.toString(US_ASCII));
            }
            head.write(b);
        }
        List<Response> parsed = parse(head.toByteArray(), true);
        Response r = parsed.get(0);
        int length = r.header("Content-Length").map(Integer::parseInt)
                .orElseThrow(() -> new AssertionError("no Content-Length: " + r.statusLine()));
        return new Response(r.statusLine(), r.headerLines(), in.readNBytes(length));
    }

    /**
     * Every response the channel has written so far, in order. Fails if the channel wrote
     * anything but encoded bytes (an HTTP object would mean no codec encoded it) or a response
     * is cut short.
     */
    public static List<Response> drainResponses(EmbeddedChannel ch) {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        Object msg;
        while ((msg = ch.readOutbound()) != null) {
            if (!(msg instanceof ByteBuf buf)) {
                ReferenceCountUtil.release(msg);
                throw new AssertionError("the channel wrote a " + msg.getClass().getName() + ", not encoded bytes");
            }
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            buf.release();
            written.writeBytes(bytes);
        }
        return parse(written.toByteArray(), false);
    }

    /** The one response the channel has written since the last drain. */
    public static Response drainResponse(EmbeddedChannel ch) {
        List<Response> all = drainResponses(ch);
        if (all.size() != 1) {
            throw new AssertionError("expected exactly one response, got " + all.size());
        }
        return all.get(0);
    }

    /** @param headOnly the bytes end after a head: its body is still to be read */
    private static List<Response> parse(byte[] bytes, boolean headOnly) {
        List<Response> out = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            int end = indexOf(bytes, "\r\n\r\n".getBytes(US_ASCII), at);
            if (end < 0) {
                throw new AssertionError("a response head without its blank line: "
                        + new String(bytes, at, bytes.length - at, US_ASCII));
            }
            List<String> lines = new ArrayList<>(List.of(new String(bytes, at, end - at, US_ASCII).split("\r\n", -1)));
            String statusLine = lines.remove(0);
            int length = lines.stream().filter(l -> l.regionMatches(true, 0, "content-length: ", 0, 16))
                    .map(l -> Integer.parseInt(l.substring(16))).findFirst()
                    .orElseThrow(() -> new AssertionError("a response without Content-Length: " + statusLine));
            int bodyStart = end + 4;
            if (headOnly) {
                out.add(new Response(statusLine, List.copyOf(lines), new byte[0]));
                return out;
            }
            if (bodyStart + length > bytes.length) {
                throw new AssertionError("a body cut short: " + statusLine);
            }
            out.add(new Response(statusLine, List.copyOf(lines), Arrays.copyOfRange(bytes, bodyStart, bodyStart + length)));
            at = bodyStart + length;
        }
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
