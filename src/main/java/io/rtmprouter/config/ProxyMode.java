package io.rtmprouter.config;

/** What a proxy understands of the bytes it carries. */
public enum ProxyMode {
    /** Bytes are relayed without being looked at, as HAProxy's `mode tcp`. */
    TCP,
    /**
     * The router terminates the RTMP handshake, reads the connect command, routes by it, then
     * performs the handshake with the chosen server and relays the rest like `mode tcp`.
     */
    RTMP;

    public String keyword() {
        return name().toLowerCase();
    }
}
