package io.rtmprouter.detect;

/** What the first bytes of a client connection say it speaks. */
public enum ClientProtocol {
    /** Too few bytes to tell yet. */
    NEED_MORE,
    /** C0 = 3: a plain RTMP handshake. */
    RTMP,
    /** C0 = 6 or 8: Adobe's encrypted RTMP. */
    RTMPE,
    /** A TLS record of type handshake (a ClientHello). */
    TLS,
    /** An HTTP request line: RTMPT, if it is a POST to the tunnel's paths. */
    HTTP,
    /** A PROXY protocol header, version 1 or 2. */
    PROXY_HEADER,
    /** None of the above. */
    UNKNOWN
}
