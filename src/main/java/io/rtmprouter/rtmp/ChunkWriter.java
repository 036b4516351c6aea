package io.rtmprouter.rtmp;

import io.netty.buffer.ByteBuf;

/**
 * Splits outgoing messages into chunks as clients do: a full (fmt 0) header, then fmt 3
 * continuations every {@code chunkSize} bytes. Chunk stream ids 2..63 (one-byte form).
 */
public final class ChunkWriter {
    /** Both directions start with this until a Set Chunk Size says otherwise. */
    public static final int DEFAULT_CHUNK_SIZE = 128;
    private static final int EXTENDED_TIMESTAMP = 0xFFFFFF;
    private int chunkSize = DEFAULT_CHUNK_SIZE;

    /** After we send Set Chunk Size, our later chunks use it. */
    public void chunkSize(int size) {
        this.chunkSize = size;
    }

    public void write(ByteBuf out, int csid, int typeId, int messageStreamId, long timestamp, ByteBuf payload) {
        if (csid < 2 || csid > 63) {
            throw new IllegalArgumentException("chunk stream id " + csid + " needs the long header form");
        }
        boolean extended = timestamp >= EXTENDED_TIMESTAMP;
        int length = payload.readableBytes();
        out.writeByte(csid);
        out.writeMedium(extended ? EXTENDED_TIMESTAMP : (int) timestamp);
        out.writeMedium(length);
        out.writeByte(typeId);
        out.writeIntLE(messageStreamId);
        if (extended) {
            out.writeInt((int) timestamp);
        }
        for (int sent = 0; sent < length; sent += chunkSize) {
            if (sent > 0) {
                out.writeByte(0xC0 | csid);
                if (extended) {
                    out.writeInt((int) timestamp);
                }
            }
            out.writeBytes(payload, payload.readerIndex() + sent, Math.min(chunkSize, length - sent));
        }
    }
}
