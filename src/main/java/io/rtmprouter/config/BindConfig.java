package io.rtmprouter.config;

import java.net.InetSocketAddress;

/**
 * One listening address of a frontend; a null host means every IPv4 address (`*:port`, `:port`).
 * tls is null for a plain bind, otherwise what its `ssl` parameters said.
 *
 * @param acceptProxy `accept-proxy`: each connection starts with a PROXY header (v1 or v2) naming
 *                    the real client, who is then the client for everything after the connection rules
 * @param socket      its listening socket's options
 */
public record BindConfig(String host, int port, String name, int backlog, TlsConfig tls, boolean acceptProxy,
                         BindSocketOptions socket, SourceLocation where) {
    /** A plain (non-TLS) bind. */
    public BindConfig(String host, int port, String name, int backlog, SourceLocation where) {
        this(host, port, name, backlog, null, false, BindSocketOptions.NONE, where);
    }

    public BindConfig(String host, int port, String name, int backlog, TlsConfig tls, SourceLocation where) {
        this(host, port, name, backlog, tls, false, BindSocketOptions.NONE, where);
    }

    public InetSocketAddress socketAddress() {
        return host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        String h = host == null ? "*" : host.contains(":") ? "[" + host + "]" : host;
        return h + ":" + port;
    }
}
