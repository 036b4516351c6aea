package io.rtmprouter.rtmp;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reassembles the messages a client sends after the handshake, for as long as the router needs
 * to look inside the stream (up to and including connect). Input comes in whatever pieces TCP
 * delivers, so the reader takes whole chunks only and leaves a partial chunk in the buffer for
 * the next call.
 *
 * <p>The client is not trusted: message length, the number of chunk streams and the number of
 * messages held half-read are all bounded, and anything the chunk stream rules forbid ends the
 * session with a {@link MalformedRtmpException}. Where real senders disagree, the reader follows
 * what ffmpeg and nginx-rtmp accept:
 * <ul>
 *   <li>Set Chunk Size and Abort are obeyed whatever chunk stream or message stream carries
 *       them, because both peers dispatch on the type alone;</li>
 *   <li>a fmt-3 chunk carries a 4-byte extended timestamp whenever the header it continues had
 *       one, also inside a message, as ffmpeg and librtmp write it;</li>
 *   <li>a new header (fmt 0, 1 or 2) on a chunk stream whose message is unfinished is refused.
 *       nginx-rtmp lets it overwrite the length and keeps appending; ffmpeg tolerates it only
 *       when the length is unchanged. The specification allows only fmt 3 inside a message and
 *       no client we know of (ffmpeg, librtmp/OBS, Flash Player) sends anything else there, so
 *       guessing what such a sender means is not worth it.</li>
 * </ul>
 * A reader that has thrown is done with: its state no longer matches the byte stream.
 */
public final class ChunkStreamReader {
    /** More half-read messages than this is an attempt to make us buffer, not a client that interleaves. */
    static final int MAX_PARTIAL_MESSAGES = 16;
    /** Header state is kept for every chunk stream ever used; clients use a handful before connect. */
    static final int MAX_CHUNK_STREAMS = 64;

    private static final int[] MESSAGE_HEADER_LENGTH = {11, 7, 3, 0};
    private static final int EXTENDED_TIMESTAMP = 0xFFFFFF;
    private static final int SET_CHUNK_SIZE = 1;
    private static final int ABORT = 2;

    private final int maxMessageLength;
    private final Map<Integer, ChunkStream> streams = new HashMap<>();
    private int chunkSize = ChunkWriter.DEFAULT_CHUNK_SIZE;
    private int partialMessages;
    private RtmpMessage completed;

    public ChunkStreamReader(int maxMessageLength) {
        if (maxMessageLength < 4) {
            throw new IllegalArgumentException("maxMessageLength must admit a 4-byte Set Chunk Size, not " + maxMessageLength);
        }
        this.maxMessageLength = maxMessageLength;
    }

    /**
     * The next complete message, or null once {@code in} holds no further whole chunk. Consumes
     * whole chunks only; the caller keeps ownership of {@code in} and offers it again, with more
     * bytes appended, after a null.
     */
    public RtmpMessage next(ByteBuf in) throws MalformedRtmpException {
        while (readChunk(in)) {
            if (completed != null) {
                RtmpMessage message = completed;
                completed = null;
                return message;
            }
        }
        return null;
    }

    /** Reads one chunk if all of it is there; false, with nothing consumed, if it is not. */
    private boolean readChunk(ByteBuf in) throws MalformedRtmpException {
        int end = in.writerIndex();
        int at = in.readerIndex();
        if (at >= end) {
            return false;
        }
        int first = in.getUnsignedByte(at++);
        int fmt = first >>> 6;
        int csid = first & 0x3f;
        if (csid == 0) {
            if (end - at < 1) {
                return false;
            }
            csid = 64 + in.getUnsignedByte(at++);
        } else if (csid == 1) {
            if (end - at < 2) {
                return false;
            }
            csid = 64 + in.getUnsignedShortLE(at);
            at += 2;
        }
        if (end - at < MESSAGE_HEADER_LENGTH[fmt]) {
            return false;
        }
        ChunkStream stream = streams.get(csid);
        checkHeaderAllowed(fmt, csid, stream);

        long timestampField = fmt <= 2 ? in.getUnsignedMedium(at) : 0;
        int length = fmt <= 1 ? in.getUnsignedMedium(at + 3) : stream.length;
        int typeId = fmt <= 1 ? in.getUnsignedByte(at + 6) : stream.typeId;
        int messageStreamId = fmt == 0 ? in.getIntLE(at + 7) : stream.messageStreamId;
        at += MESSAGE_HEADER_LENGTH[fmt];
        if (length > maxMessageLength) {
            throw new MalformedRtmpException("message of " + length + " bytes on chunk stream " + csid
                    + " exceeds the limit of " + maxMessageLength);
        }
        boolean extended = fmt == 3 ? stream.extended : timestampField == EXTENDED_TIMESTAMP;
        if (extended) {
            if (end - at < 4) {
                return false;
            }
            timestampField = in.getUnsignedInt(at);
            at += 4;
        }

        boolean starts = stream == null || !stream.midMessage();
        int chunkBytes = Math.min(chunkSize, starts ? length : stream.length - stream.received);
        if (end - at < chunkBytes) {
            return false;
        }
        if (starts && chunkBytes < length && partialMessages >= MAX_PARTIAL_MESSAGES) {
            throw new MalformedRtmpException("more than " + MAX_PARTIAL_MESSAGES + " chunk streams hold unfinished messages");
        }

        if (stream == null) {
            stream = new ChunkStream();
            streams.put(csid, stream);
        }
        if (starts) {
            stream.start(fmt, timestampField, extended, length, typeId, messageStreamId);
        }
        stream.append(in, at, chunkBytes);
        in.readerIndex(at + chunkBytes);

        if (stream.received < stream.length) {
            if (starts) {
                partialMessages++;
            }
            return true;
        }
        if (!starts) {
            partialMessages--;
        }
        completed = new RtmpMessage(csid, stream.typeId, stream.timestamp, stream.messageStreamId, stream.take());
        obeyProtocolControl(completed);
        return true;
    }

    private void checkHeaderAllowed(int fmt, int csid, ChunkStream stream) throws MalformedRtmpException {
        if (stream == null && fmt != 0) {
            throw new MalformedRtmpException("chunk stream " + csid + " continues a message it never started (fmt " + fmt + ")");
        }
        if (stream != null && stream.midMessage() && fmt != 3) {
            throw new MalformedRtmpException("chunk stream " + csid + " starts a new message (fmt " + fmt
                    + ") before finishing the last");
        }
        if (stream == null && streams.size() >= MAX_CHUNK_STREAMS) {
            throw new MalformedRtmpException("more than " + MAX_CHUNK_STREAMS + " chunk streams");
        }
    }

    /** The two control messages that change how the following chunks are cut. */
    private void obeyProtocolControl(RtmpMessage message) throws MalformedRtmpException {
        if (message.typeId() != SET_CHUNK_SIZE && message.typeId() != ABORT) {
            return;
        }
        byte[] p = message.payload();
        String name = message.typeId() == SET_CHUNK_SIZE ? "Set Chunk Size" : "Abort";
        if (p.length < 4) {
            throw new MalformedRtmpException(name + " of " + p.length + " bytes");
        }
        int value = (p[0] & 0xff) << 24 | (p[1] & 0xff) << 16 | (p[2] & 0xff) << 8 | (p[3] & 0xff);
        if (message.typeId() == SET_CHUNK_SIZE) {
            if (value <= 0) {
                throw new MalformedRtmpException(value == 0 ? "Set Chunk Size 0" : "Set Chunk Size with the top bit set");
            }
            chunkSize = value;
        } else {
            ChunkStream aborted = streams.get(value);
            if (aborted != null && aborted.midMessage()) {
                aborted.discard();
                partialMessages--;
            }
        }
    }

    /** What earlier headers on one chunk stream said, which later, shorter headers leave out. */
    private static final class ChunkStream {
        private static final byte[] EMPTY = new byte[0];

        long timestamp;
        /** Reused by a fmt-3 chunk that starts a new message; after fmt 0 it is that header's timestamp. */
        long delta;
        int length;
        int typeId;
        int messageStreamId;
        boolean extended;
        byte[] payload = EMPTY;
        int received;

        boolean midMessage() {
            return received > 0;
        }

        void start(int fmt, long timestampField, boolean extendedHeader, int length, int typeId, int messageStreamId) {
            if (fmt <= 2) {
                extended = extendedHeader;
                delta = timestampField;
            } else if (extendedHeader) {
                delta = timestampField;
            }
            timestamp = fmt == 0 ? delta : (timestamp + delta) & 0xFFFFFFFFL;
            this.length = length;
            this.typeId = typeId;
            this.messageStreamId = messageStreamId;
        }

        /** Grows with what arrives rather than with what a header announces, so a lying header costs nothing. */
        void append(ByteBuf in, int from, int count) {
            int needed = received + count;
            if (payload.length < needed) {
                payload = Arrays.copyOf(payload, Math.min(length, Math.max(needed, payload.length * 2)));
            }
            in.getBytes(from, payload, received, count);
            received = needed;
        }

        byte[] take() {
            byte[] whole = payload;
            discard();
            return whole;
        }

        void discard() {
            payload = EMPTY;
            received = 0;
        }
    }
}
