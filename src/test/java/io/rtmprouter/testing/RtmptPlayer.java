package io.rtmprouter.testing;

import java.io.IOException;
import java.net.Socket;
import java.util.Arrays;

/**
 * A minimal RTMPT player on one keep-alive connection, for the scenarios that need a client to
 * misbehave on purpose (stop polling, hold a session open): it opens a session, handshakes,
 * sends connect, createStream and play in one POST (nginx-rtmp takes them in order), and polls
 * only when told to. Each poll's server bytes are counted.
 */
public final class RtmptPlayer implements AutoCloseable {
    private final String source;
    private final int port;
    private Socket socket;
    private final String id;
    private long sequence;
    private long received;

    private RtmptPlayer(String source, int port, Socket socket, String id) {
        this.source = source;
        this.port = port;
        this.socket = socket;
        this.id = id;
    }

    /** Goes on over a new connection from the same address, as a client whose connection was closed would. */
    public void reconnect() throws IOException {
        socket.close();
        socket = TestSockets.connectFrom(source, port);
        socket.setSoTimeout(10_000);
    }

    /** Opens a session from `source` and asks to play `app`/`stream`; nothing is polled yet. */
    public static RtmptPlayer play(String source, int port, String app, String stream) throws IOException {
        Socket s = TestSockets.connectFrom(source, port);
        s.setSoTimeout(10_000);
        HttpWire.Response opened = HttpWire.exchange(s, "/open/1", new byte[] {0});
        if (opened.status() != 200) {
            s.close();
            throw new IOException("open answered " + opened.statusLine());
        }
        RtmptPlayer p = new RtmptPlayer(source, port, s, opened.bodyText().trim());
        byte[] c0c1 = new byte[1537];
        c0c1[0] = 3;
        byte[] answer = p.post("send", c0c1);
        // The server's S0+S1+S2 may come over more than one reply.
        byte[] handshake = answer;
        while (handshake.length < 3073) {
            handshake = RtmpChunks.concat(handshake, p.post("idle", new byte[] {0}));
        }
        byte[] s1 = Arrays.copyOfRange(handshake, 1, 1 + 1536);
        p.post("send", RtmpChunks.concat(s1, RtmpChunks.connectAndPlay("rtmpt://127.0.0.1:" + port + "/" + app, app, stream)));
        return p;
    }

    /** One idle poll; returns the server bytes it brought (the polling byte not counted). */
    public int poll() throws IOException {
        return post("idle", new byte[] {0}).length;
    }

    /** Server bytes polled so far, the handshake included. */
    public long received() {
        return received;
    }

    public String sessionId() {
        return id;
    }

    public Socket socket() {
        return socket;
    }

    private byte[] post(String command, byte[] body) throws IOException {
        HttpWire.Response r = HttpWire.exchange(socket, "/" + command + "/" + id + "/" + sequence++, body);
        if (r.status() != 200) {
            throw new IOException(command + " answered " + r.statusLine() + ": " + r.bodyText());
        }
        byte[] data = Arrays.copyOfRange(r.body(), 1, r.body().length);
        received += data.length;
        return data;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
