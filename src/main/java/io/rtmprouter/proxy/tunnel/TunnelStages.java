package io.rtmprouter.proxy.tunnel;

/** Installs the stages of a new RTMPT session's channel: the ordinary RTMP ones, from the handshake on. */
@FunctionalInterface
public interface TunnelStages {
    void install(TunnelChannel channel, String proto, String tunnelId);
}
