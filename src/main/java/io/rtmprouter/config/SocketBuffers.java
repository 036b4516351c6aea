package io.rtmprouter.config;

/**
 * HAProxy's `tune.sndbuf.client`, `tune.rcvbuf.client`, `tune.sndbuf.server` and
 * `tune.rcvbuf.server`: the kernel's socket buffer sizes, in bytes, on each side. 0 leaves the
 * kernel to size (and auto-tune) the buffer, which is the default; a value set fixes it.
 */
public record SocketBuffers(int clientSend, int clientReceive, int serverSend, int serverReceive) {
    public static final SocketBuffers KERNEL = new SocketBuffers(0, 0, 0, 0);
}
