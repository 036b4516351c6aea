package io.rtmprouter.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.rtmprouter.config.ProxyMode;
import io.rtmprouter.config.RoutingConfig;

/**
 * The stages of a client connection, in pipeline order. Each does one thing and removes itself:
 * <pre>
 *   mode rtmp: inspect-deadline ─ rtmp-handshake ─ rtmp-connect ─ select-server ─▶ [idle] relay
 *   mode tcp:                                                      select-server ─▶ [idle] relay
 * </pre>
 * `tcp-request connection` rules run before any stage is installed.
 */
final class SessionPipeline {
    static final String INSPECT_DEADLINE = "inspect-deadline";
    static final String RTMP_HANDSHAKE = "rtmp-handshake";
    static final String RTMP_CONNECT = "rtmp-connect";
    static final String SELECT_SERVER = "select-server";

    private SessionPipeline() {
    }

    /** Starts the session of an accepted client; false when a connection rule refused it. */
    static boolean init(Channel ch, FrontendContext fc) {
        boolean rtmp = fc.frontend().mode() == ProxyMode.RTMP;
        Session session = Session.attach(ch, fc.frontend().name(), rtmp);
        EpollRegistrationGuard.keepRegistered(ch);
        var reject = RoutingConfig.rejecting(fc.frontend().routing().connectionRules(), session);
        if (reject.isPresent()) {
            session.end(Termination.REJECTED, "tcp-request connection reject at " + reject.get().where());
            fc.sessionLog().accept(session);
            ch.close();
            return false;
        }
        ChannelPipeline p = ch.pipeline();
        if (rtmp) {
            p.addLast(INSPECT_DEADLINE, new InspectionDeadline(fc.frontend().inspectDelay()));
            p.addLast(RTMP_HANDSHAKE, new HandshakeResponder());
            p.addLast(RTMP_CONNECT, new ConnectReader());
        }
        p.addLast(SELECT_SERVER, new ServerSelectionHandler(fc));
        return true;
    }
}
