package io.rtmprouter.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rtmprouter.rtmp.Amf0Decoder;
import io.rtmprouter.rtmp.ChunkStreamReader;
import io.rtmprouter.rtmp.RtmpMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Publishes the way OBS (librtmp) starts a stream: simple handshake, Set Chunk Size 4096 before
 * connect, connect with flashVer "FMLE/3.0 (compatible; FMSc/1.0)" and type "nonprivate", then
 * createStream and publish. Returns the status code the server answered publish with.
 */
public final class ObsLikeClient implements AutoCloseable {
    private static final int CHUNK_SIZE = 4096;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ChunkStreamReader reader = new ChunkStreamReader(1 << 20);
    private final ByteBuf received = Unpooled.buffer();

    public ObsLikeClient(String sourceAddress, String host, int port) throws IOException {
        socket = new Socket();
        socket.bind(new InetSocketAddress(sourceAddress, 0));
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Connects to app, publishes stream name; returns the onStatus code (NetStream.Publish.Start on success). */
    public String publish(String app, String tcUrl, String name) throws IOException {
        byte[] c1 = new byte[1536];
        new Random(7).nextBytes(c1);
        java.util.Arrays.fill(c1, 0, 8, (byte) 0);
        out.write(RtmpChunks.concat(new byte[] {3}, c1));
        byte[] s0s1s2 = in.readNBytes(1 + 2 * 1536);
        if (s0s1s2.length < 3073 || s0s1s2[0] != 3) {
            throw new IOException("bad handshake answer");
        }
        out.write(java.util.Arrays.copyOfRange(s0s1s2, 1, 1537));
        out.write(RtmpChunks.concat(RtmpChunks.setChunkSize(CHUNK_SIZE),
                RtmpChunks.connect(Amf0TestEncoder.obsConnect(1, app, tcUrl), CHUNK_SIZE)));
        out.flush();
        awaitCommand("_result");
        out.write(RtmpChunks.message(3, 20, 0, 0, new Amf0TestEncoder().string("createStream").number(2).nullValue()
                .toByteArray(), CHUNK_SIZE));
        List<Object> created = awaitCommand("_result");
        int streamId = ((Double) created.get(3)).intValue();
        out.write(RtmpChunks.message(4, 20, streamId, 0, new Amf0TestEncoder().string("publish").number(0).nullValue()
                .string(name).string("live").toByteArray(), CHUNK_SIZE));
        List<Object> status = awaitCommand("onStatus");
        return String.valueOf(((java.util.Map<?, ?>) status.get(3)).get("code"));
    }

    private List<Object> awaitCommand(String name) throws IOException {
        while (true) {
            RtmpMessage m = nextMessage();
            if (m.typeId() != 20) {
                continue;
            }
            ByteBuf payload = Unpooled.wrappedBuffer(m.payload());
            List<Object> values = new ArrayList<>();
            try {
                Amf0Decoder d = new Amf0Decoder(payload);
                while (d.hasMore()) {
                    values.add(d.readValue());
                }
            } catch (Exception e) {
                throw new IOException(e);
            } finally {
                payload.release();
            }
            if (name.equals(values.get(0))) {
                return values;
            }
        }
    }

    private RtmpMessage nextMessage() throws IOException {
        byte[] buf = new byte[8192];
        while (true) {
            try {
                RtmpMessage m = reader.next(received);
                if (m != null) {
                    received.discardReadBytes();
                    return m;
                }
            } catch (Exception e) {
                throw new IOException(e);
            }
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("server closed the connection");
            }
            received.writeBytes(buf, 0, n);
        }
    }

    @Override
    public void close() throws IOException {
        received.release();
        socket.close();
    }
}
