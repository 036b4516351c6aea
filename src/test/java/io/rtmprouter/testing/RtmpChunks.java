package io.rtmprouter.testing;

import java.io.ByteArrayOutputStream;

/** Writes RTMP messages as chunks the way clients do: fmt 0, then fmt 3 continuations. */
public final class RtmpChunks {
    private RtmpChunks() {
    }

    /** One message on chunk stream csid (2..63), split at chunkSize. */
    public static byte[] message(int csid, int type, int streamId, int timestamp, byte[] payload, int chunkSize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(csid);
        boolean extended = timestamp >= 0xFFFFFF;
        int ts = extended ? 0xFFFFFF : timestamp;
        out.write(ts >>> 16);
        out.write(ts >>> 8);
        out.write(ts);
        out.write(payload.length >>> 16);
        out.write(payload.length >>> 8);
        out.write(payload.length);
        out.write(type);
        out.write(streamId);
        out.write(streamId >>> 8);
        out.write(streamId >>> 16);
        out.write(streamId >>> 24);
        writeExtended(out, extended, timestamp);
        for (int off = 0; off < payload.length; off += chunkSize) {
            if (off > 0) {
                out.write(0xC0 | csid);
                writeExtended(out, extended, timestamp);
            }
            out.write(payload, off, Math.min(chunkSize, payload.length - off));
        }
        return out.toByteArray();
    }

    private static void writeExtended(ByteArrayOutputStream out, boolean extended, int timestamp) {
        if (extended) {
            out.write(timestamp >>> 24);
            out.write(timestamp >>> 16);
            out.write(timestamp >>> 8);
            out.write(timestamp);
        }
    }

    /** Set Chunk Size, as OBS sends it before connect. */
    public static byte[] setChunkSize(int size) {
        return message(2, 1, 0, 0, new byte[] {(byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8),
                (byte) size}, 128);
    }

    /** A connect command (type 20) on chunk stream 3 with the default chunk size. */
    public static byte[] connect(byte[] amf0Body, int chunkSize) {
        return message(3, 20, 0, 0, amf0Body, chunkSize);
    }

    /**
     * A player's connect, createStream and play of `stream`, chunked at the default 128 bytes, to
     * be sent in one write (nginx-rtmp takes them in order without waiting for each answer).
     */
    public static byte[] connectAndPlay(String tcUrl, String app, String stream) {
        java.util.Map<String, Object> command = new java.util.LinkedHashMap<>();
        command.put("app", app);
        command.put("flashVer", "LNX 9,0,124,2");
        command.put("tcUrl", tcUrl);
        byte[] connect = connect(new Amf0TestEncoder().string("connect").number(1).object(command).toByteArray(), 128);
        byte[] createStream = message(3, 20, 0, 0,
                new Amf0TestEncoder().string("createStream").number(2).nullValue().toByteArray(), 128);
        byte[] play = message(8, 20, 1, 0,
                new Amf0TestEncoder().string("play").number(3).nullValue().string(stream).toByteArray(), 128);
        return concat(connect, createStream, play);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
