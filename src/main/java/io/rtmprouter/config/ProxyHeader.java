package io.rtmprouter.config;

/** The PROXY protocol version a server is sent (`send-proxy`, `send-proxy-v2`). */
public enum ProxyHeader {
    /** The text form, `PROXY TCP4 src dst sport dport\r\n`. */
    V1,
    /** The binary form. */
    V2
}
