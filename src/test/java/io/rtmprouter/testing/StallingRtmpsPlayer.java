package io.rtmprouter.testing;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An RTMPS player that plays a stream, reads some of it, then stops reading while keeping its
 * connection open: a client behind a stalled network, for the scenarios that measure what the
 * router holds for it. It handshakes (simple form), sends connect, createStream and play in one
 * write, as nginx-rtmp takes them in order.
 */
public final class StallingRtmpsPlayer implements AutoCloseable {
    private final SSLSocket socket;
    private long received;

    private StallingRtmpsPlayer(SSLSocket socket) {
        this.socket = socket;
    }

    /** Plays `app`/`stream` over TLS from `source` and reads until `bytes` of the stream came; then reads no more. */
    public static StallingRtmpsPlayer playThenStall(String source, int port, String app, String stream, long bytes)
            throws IOException {
        // A small receive window, as on a stalled mobile link: the kernel's buffers fill soon and the
        // router's own are what is left to measure.
        Socket tcp = new Socket();
        tcp.setReceiveBufferSize(8 * 1024);
        tcp.bind(new java.net.InetSocketAddress(source, 0));
        tcp.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
        SSLSocket s = (SSLSocket) insecureContext().getSocketFactory().createSocket(tcp, "127.0.0.1", port, true);
        s.setSoTimeout(10_000);
        StallingRtmpsPlayer p = new StallingRtmpsPlayer(s);
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        byte[] c0c1 = new byte[1537];
        c0c1[0] = 3;
        out.write(c0c1);
        out.flush();
        byte[] s0s1s2 = in.readNBytes(1 + 2 * 1536);
        if (s0s1s2.length != 1 + 2 * 1536) {
            throw new IOException("the handshake's answer was cut short at " + s0s1s2.length + " bytes");
        }
        out.write(RtmpChunks.concat(java.util.Arrays.copyOfRange(s0s1s2, 1, 1 + 1536),
                RtmpChunks.connectAndPlay("rtmps://127.0.0.1:" + port + "/" + app, app, stream)));
        out.flush();
        byte[] buf = new byte[16 * 1024];
        while (p.received < bytes) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("the stream ended after " + p.received + " bytes");
            }
            p.received += n;
        }
        return p;
    }

    private static SSLContext insecureContext() throws IOException {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** Bytes of the stream read before stalling (the handshake's answer not counted). */
    public long received() {
        return received;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
