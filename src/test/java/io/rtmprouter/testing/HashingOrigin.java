package io.rtmprouter.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain TCP origin for relay tests: reads a connection to its end (FIN), remembers how many
 * bytes and which SHA-256 it got and from whom, then answers `replyBytes` of a fixed pattern
 * and closes. Optionally reads slowly, to make the router hold back the client.
 */
public final class HashingOrigin implements AutoCloseable {
    public record Received(String from, long bytes, String sha256) {
    }

    private final ServerSocket socket;
    private final long replyBytes;
    private final int slowReadMillis;
    private final boolean replyFirst;
    public final List<Received> received = new CopyOnWriteArrayList<>();
    public final List<Socket> open = new CopyOnWriteArrayList<>();

    public HashingOrigin(String address, long replyBytes, int slowReadMillis) throws IOException {
        this(address, replyBytes, slowReadMillis, false);
    }

    /** @param replyFirst send the reply at once and close, without reading (a download) */
    public HashingOrigin(String address, long replyBytes, int slowReadMillis, boolean replyFirst) throws IOException {
        this.replyFirst = replyFirst;
        this.socket = new ServerSocket();
        socket.bind(new InetSocketAddress(address, 0));
        this.replyBytes = replyBytes;
        this.slowReadMillis = slowReadMillis;
        Thread t = new Thread(this::acceptLoop, "hashing-origin");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "hashing-origin-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            InputStream in = s.getInputStream();
            byte[] buf = new byte[16384];
            long total = 0;
            int n;
            while (!replyFirst && (n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
                total += n;
                if (slowReadMillis > 0) {
                    Thread.sleep(slowReadMillis);
                }
            }
            received.add(new Received(((InetSocketAddress) s.getRemoteSocketAddress()).getAddress().getHostAddress(),
                    total, HexFormat.of().formatHex(sha.digest())));
            OutputStream out = s.getOutputStream();
            byte[] chunk = pattern(65536);
            for (long left = replyBytes; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
            out.flush();
        } catch (Exception e) {
            // The router closed us: that is what some tests check.
        } finally {
            open.remove(s);
        }
    }

    public static byte[] pattern(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + (i >> 8));
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
