package io.rtmprouter.config;

/**
 * `source ADDR[:PORT] [usesrc clientip]`: the local address of connections to servers. With
 * useClientIp the connection is bound to the client's own address (transparent proxying).
 */
public record SourceConfig(String address, int port, boolean useClientIp, SourceLocation where) {
}
