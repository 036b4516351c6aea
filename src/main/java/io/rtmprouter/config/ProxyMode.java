package io.rtmprouter.config;

/** What a proxy understands of the bytes it carries. */
public enum ProxyMode {
    /** Bytes are relayed without being looked at, as HAProxy's `mode tcp`. */
    TCP;

    public String keyword() {
        return name().toLowerCase();
    }
}
