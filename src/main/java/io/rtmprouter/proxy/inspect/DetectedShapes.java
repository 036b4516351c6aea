package io.rtmprouter.proxy.inspect;

import io.netty.channel.ChannelHandlerContext;

/**
 * The pipeline shapes the protocol detector may turn a connection into, offered by the pipeline's
 * owner ({@link SessionPipeline}), so that the detector knows what it found, not how each
 * shape is built.
 */
public interface DetectedShapes {
    /** Whether the bind has `ssl`: a TLS ClientHello is refused where it has not. */
    boolean offersTls();

    /** The RTMP stages (handshake, connect, routing) after the detector at `ctx`. */
    void rtmp(ChannelHandlerContext ctx);

    /** TLS after the detector at `ctx`, and a detector for the bytes inside it. */
    void tls(ChannelHandlerContext ctx);

    /** An RTMPT carrier after the detector at `ctx`: each session it opens gets the RTMP stages. */
    void rtmptCarrier(ChannelHandlerContext ctx);
}
