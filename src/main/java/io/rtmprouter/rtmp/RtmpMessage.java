package io.rtmprouter.rtmp;

import java.util.Arrays;

/**
 * One reassembled RTMP message. The payload is the reader's own copy, handed over to the caller;
 * it is small, since the reader refuses anything longer than its bound. Equality compares the
 * payload bytes, so messages read in different ways can be compared.
 *
 * @param timestamp 32-bit unsigned, after deltas are applied
 */
public record RtmpMessage(int chunkStreamId, int typeId, long timestamp, int messageStreamId, byte[] payload) {
    @Override
    public boolean equals(Object o) {
        return o instanceof RtmpMessage m
                && chunkStreamId == m.chunkStreamId && typeId == m.typeId && timestamp == m.timestamp
                && messageStreamId == m.messageStreamId && Arrays.equals(payload, m.payload);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * (31 * chunkStreamId + typeId) + Long.hashCode(timestamp)) + messageStreamId)
                + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "RtmpMessage[csid=" + chunkStreamId + ", type=" + typeId + ", timestamp=" + timestamp
                + ", stream=" + messageStreamId + ", " + payload.length + " bytes]";
    }
}
