package io.rtmprouter.testing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;

import static java.nio.charset.StandardCharsets.US_ASCII;

/** Reads what an EmbeddedChannel wrote, releasing the buffers as the leak detector expects. */
public final class EmbeddedBytes {
    private EmbeddedBytes() {
    }

    /** Every outbound buffer so far, concatenated. */
    public static byte[] drainOutboundBytes(EmbeddedChannel ch) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            out.writeBytes(bytes);
            b.release();
        }
        return out.toByteArray();
    }

    /** Every outbound buffer so far, concatenated, as ASCII. */
    public static String drainOutbound(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            sb.append(b.toString(US_ASCII));
            b.release();
        }
        return sb.toString();
    }
}
