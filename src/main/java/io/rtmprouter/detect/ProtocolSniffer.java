package io.rtmprouter.detect;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Tells from the first bytes of a connection which protocol the client speaks, without
 * consuming them. Each answer is final except {@link ClientProtocol#NEED_MORE}; the longest
 * prefix it may need is {@link #LONGEST_PREFIX} bytes. The candidates cannot be confused: an
 * RTMP C0 is 3, 6 or 8, a TLS record starts 0x16 0x03, HTTP and PROXY v1 start with an
 * upper-case token, PROXY v2 with CR LF.
 */
public final class ProtocolSniffer {
    private static final int TLS_HANDSHAKE_RECORD = 0x16;
    private static final int TLS_MAJOR_VERSION = 0x03;
    private static final List<byte[]> HTTP_METHODS = ascii("GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ",
            "PATCH ", "TRACE ", "CONNECT ");
    private static final byte[] PROXY_V1 = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROXY_V2 = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    /** "OPTIONS " and the PROXY v2 signature are the longest. */
    public static final int LONGEST_PREFIX = PROXY_V2.length;

    private ProtocolSniffer() {
    }

    public static ClientProtocol sniff(ByteBuf in) {
        if (!in.isReadable()) {
            return ClientProtocol.NEED_MORE;
        }
        int first = in.getUnsignedByte(in.readerIndex());
        switch (first) {
            case 3:
                return ClientProtocol.RTMP;
            case 6:
            case 8:
                return ClientProtocol.RTMPE;
            case TLS_HANDSHAKE_RECORD:
                if (in.readableBytes() < 2) {
                    return ClientProtocol.NEED_MORE;
                }
                return in.getUnsignedByte(in.readerIndex() + 1) == TLS_MAJOR_VERSION
                        ? ClientProtocol.TLS : ClientProtocol.UNKNOWN;
            default:
                break;
        }
        boolean undecided = false;
        for (byte[] method : HTTP_METHODS) {
            Match m = match(in, method);
            if (m == Match.FULL) {
                return ClientProtocol.HTTP;
            }
            undecided |= m == Match.PREFIX;
        }
        for (byte[] proxy : List.of(PROXY_V1, PROXY_V2)) {
            Match m = match(in, proxy);
            if (m == Match.FULL) {
                return ClientProtocol.PROXY_HEADER;
            }
            undecided |= m == Match.PREFIX;
        }
        return undecided ? ClientProtocol.NEED_MORE : ClientProtocol.UNKNOWN;
    }

    private enum Match { FULL, PREFIX, NONE }

    private static Match match(ByteBuf in, byte[] token) {
        int n = Math.min(in.readableBytes(), token.length);
        for (int i = 0; i < n; i++) {
            if (in.getByte(in.readerIndex() + i) != token[i]) {
                return Match.NONE;
            }
        }
        return n == token.length ? Match.FULL : Match.PREFIX;
    }

    private static List<byte[]> ascii(String... tokens) {
        return java.util.Arrays.stream(tokens).map(t -> t.getBytes(StandardCharsets.US_ASCII)).toList();
    }
}
