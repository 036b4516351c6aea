package io.rtmprouter.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.rtmprouter.config.ProxyMode;
import io.rtmprouter.config.RoutingConfig;
import io.rtmprouter.config.TcpRequestRule;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.rtmprouter.proxy.accept.ProxyHeaderReader;
import io.rtmprouter.proxy.inspect.ConnectReader;
import io.rtmprouter.proxy.inspect.DetectedShapes;
import io.rtmprouter.proxy.inspect.HandshakeResponder;
import io.rtmprouter.proxy.inspect.InspectionDeadline;
import io.rtmprouter.proxy.inspect.ProtocolDetector;
import io.rtmprouter.proxy.inspect.TlsHandshakeWait;
import io.rtmprouter.proxy.route.ServerSelectionHandler;
import io.rtmprouter.proxy.session.InspectionEvent;
import io.rtmprouter.proxy.session.NextStage;
import io.rtmprouter.proxy.session.Session;
import io.rtmprouter.proxy.session.Termination;
import io.rtmprouter.proxy.transport.EpollRegistrationGuard;
import io.rtmprouter.proxy.transport.TlsCloseNotify;
import io.rtmprouter.proxy.tunnel.HttpRequestTimer;
import io.rtmprouter.proxy.tunnel.RtmptBodyAggregator;
import io.rtmprouter.proxy.tunnel.RtmptCarrier;
import io.rtmprouter.proxy.tunnel.TunnelChannel;
import io.rtmprouter.tls.ServerTls;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The stages of a client connection, in pipeline order. Each does one thing, adds the stage that
 * follows it when it hands over, and removes itself:
 * <pre>
 *   mode rtmp: inspect-deadline ─ detect ─ rtmp-handshake ─ rtmp-connect ─ select-server ─▶ [idle] relay
 *     TLS:     detect becomes   tls ─ tls-close-notify ─ detect-tls ─ (the same from rtmp-handshake on)
 *     HTTP:    detect becomes   http-idle ─ http-timer ─ http-codec ─ http-body ─ rtmpt  (an RTMPT carrier;
 *              each RTMPT session is a {@link TunnelChannel} with the rtmp-handshake ... relay stages)
 *   mode tcp:                                                                select-server ─▶ [idle] relay
 *     ssl bind: tls ─ tls-close-notify ─ tls-handshake (routing once the handshake is done) ─ select-server ...
 * </pre>
 * `tcp-request connection` rules run before any stage is installed. On an `accept-proxy` bind
 * the PROXY header comes first (proxy-header-decoder ─ proxy-header, under the inspect deadline in
 * both modes); `tcp-request session` rules run once the client is known, then the stages above.
 */
final class SessionPipeline {
    static final String INSPECT_DEADLINE = "inspect-deadline";
    static final String DETECT = "detect";
    static final String TLS = "tls";
    static final String TLS_CLOSE_NOTIFY = "tls-close-notify";
    static final String DETECT_INSIDE_TLS = "detect-tls";
    static final String HTTP_IDLE = "http-idle";
    static final String HTTP_TIMER = "http-timer";
    static final String HTTP_CODEC = "http-codec";
    static final String HTTP_BODY = "http-body";
    static final String RTMPT = "rtmpt";
    static final String RTMP_HANDSHAKE = HandshakeResponder.NAME;
    static final String RTMP_CONNECT = ConnectReader.NAME;
    static final String SELECT_SERVER = ServerSelectionHandler.NAME;
    /** An RTMPT request line and its header fields: librtmp's are ~200 bytes. */
    static final int MAX_REQUEST_LINE = 4096;
    static final int MAX_HEADER_BYTES = 8192;

    private SessionPipeline() {
    }

    /**
     * Starts the session of an accepted client; false when a connection rule refused it.
     *
     * @param tls         the certificates of an `ssl` bind; null when the bind has no `ssl`
     * @param acceptProxy whether the bind has `accept-proxy`: a PROXY header comes first
     */
    static boolean init(Channel ch, FrontendContext fc, ServerTls tls, boolean acceptProxy) {
        boolean rtmp = fc.frontend().mode() == ProxyMode.RTMP;
        Session session = Session.attach(ch, fc.frontend().name(), rtmp, fc.stickTables(), fc.sessionLog());
        fc.traffic().sessionStarted();
        EpollRegistrationGuard.keepRegistered(ch);
        RoutingConfig rules = fc.frontend().routing();
        if (refused(ch, session, rules.connectionRules(), "tcp-request connection")) {
            return false;
        }
        ChannelPipeline p = ch.pipeline();
        // `tcp-request connection expect-proxy layer4` asks for the header on this connection only.
        acceptProxy |= session.expectsProxyHeader();
        if (rtmp || acceptProxy || tls != null) {
            // Bounds the wait for the PROXY header and a mode tcp TLS handshake too.
            p.addLast(INSPECT_DEADLINE, new InspectionDeadline(rtmp ? fc.frontend().inspectDelay() : proxyHeaderDelay(fc)));
        }
        if (!acceptProxy) {
            return startSession(ch, fc, tls, null);
        }
        session.awaiting("the PROXY header");
        p.addLast(ProxyHeaderReader.DECODER, new HAProxyMessageDecoder());
        p.addLast(ProxyHeaderReader.NAME, new ProxyHeaderReader(ctx -> startSession(ch, fc, tls, ctx)));
        return true;
    }

    /**
     * HAProxy waits for a PROXY header as long as `timeout client` allows; without one, as long
     * as a `mode rtmp` frontend waits for its handshake, rather than forever.
     */
    private static Duration proxyHeaderDelay(FrontendContext fc) {
        var client = fc.frontend().timeouts().client();
        return client != null ? client : RoutingConfig.DEFAULT_RTMP_INSPECT_DELAY;
    }

    /**
     * The client is known (its PROXY header read, if the bind expects one): `tcp-request session`
     * rules, then the first stages, after {@code after} (null: at the pipeline's end).
     */
    private static boolean startSession(Channel ch, FrontendContext fc, ServerTls tls, ChannelHandlerContext after) {
        Session session = Session.of(ch);
        if (refused(ch, session, fc.frontend().routing().sessionRules(), "tcp-request session")) {
            return false;
        }
        session.accepted();
        Stages stages = new Stages(ch.pipeline(), after);
        if (fc.frontend().mode() == ProxyMode.RTMP) {
            // Each stage adds the next when it hands over: detect adds TLS, the RTMP stages or the RTMPT carrier.
            stages.add(DETECT, new ProtocolDetector(new Shapes(fc, tls), false));
        } else if (tls != null) {
            // Plain TLS termination: routing waits for the handshake, as HAProxy's session does.
            session.detected("tls");
            stages.add(TLS, tls.newHandler());
            stages.add(TLS_CLOSE_NOTIFY, new TlsCloseNotify());
            stages.add(TlsHandshakeWait.NAME, new TlsHandshakeWait(routeStage(fc)));
        } else {
            stages.add(SELECT_SERVER, new ServerSelectionHandler(fc.routing()));
            if (after != null) {
                // Added once the channel was active: it routes on this event, as after inspection.
                ch.pipeline().fireUserEventTriggered(InspectionEvent.DONE);
            }
        }
        return true;
    }

    /** Runs `tcp-request connection|session` rules; true (and the session ended) when one rejects it. */
    private static boolean refused(Channel ch, Session session, List<TcpRequestRule> rules, String stage) {
        var reject = RoutingConfig.rejecting(rules, session);
        if (reject.isEmpty()) {
            return false;
        }
        session.end(Termination.REJECTED, stage + " reject at " + reject.get().where());
        session.ending().finish();
        ch.close();
        return true;
    }

    /** Adds stages at the pipeline's end, or one after the other behind a given stage. */
    private static final class Stages {
        private final ChannelPipeline pipeline;
        private String last;

        Stages(ChannelPipeline pipeline, ChannelHandlerContext after) {
            this.pipeline = pipeline;
            this.last = after == null ? null : after.name();
        }

        void add(String name, ChannelHandler handler) {
            if (last == null) {
                pipeline.addLast(name, handler);
            } else {
                pipeline.addAfter(last, name, handler);
                last = name;
            }
        }
    }

    /** Starts the session carried by an RTMPT tunnel: its bytes are RTMP (or RTMPE) from the first. */
    static Session initTunnel(TunnelChannel ch, FrontendContext fc, String proto, String tunnelId) {
        Session session = Session.attach(ch, fc.frontend().name(), true, fc.stickTables(), fc.sessionLog());
        fc.traffic().sessionStarted();
        session.tunnelled(proto, tunnelId);
        ChannelPipeline p = ch.pipeline();
        p.addLast(INSPECT_DEADLINE, new InspectionDeadline(fc.frontend().inspectDelay()));
        p.addLast(RTMP_HANDSHAKE, new HandshakeResponder(routeStage(fc)));
        return session;
    }

    /** Routing, the stage after inspection: the handshake and connect stages add it when they are done. */
    private static NextStage routeStage(FrontendContext fc) {
        return new NextStage(SELECT_SERVER, () -> new ServerSelectionHandler(fc.routing()));
    }

    /** What a `mode rtmp` connection may become once its first bytes are known. */
    private record Shapes(FrontendContext fc, ServerTls tls) implements DetectedShapes {
        @Override
        public boolean offersTls() {
            return tls != null;
        }

        @Override
        public void rtmp(ChannelHandlerContext ctx) {
            ctx.pipeline().addAfter(ctx.name(), RTMP_HANDSHAKE, new HandshakeResponder(routeStage(fc)));
        }

        @Override
        public void tls(ChannelHandlerContext ctx) {
            ChannelPipeline p = ctx.pipeline();
            p.addAfter(ctx.name(), TLS, tls.newHandler());
            p.addAfter(TLS, TLS_CLOSE_NOTIFY, new TlsCloseNotify());
            p.addAfter(TLS_CLOSE_NOTIFY, DETECT_INSIDE_TLS, new ProtocolDetector(this, true));
        }

        @Override
        public void rtmptCarrier(ChannelHandlerContext ctx) {
            ChannelPipeline p = ctx.pipeline();
            // The connection carries requests; each session it opens gets the RTMP stages of its own.
            long idle = fc.tunnels().expiry().toNanos();
            p.addAfter(ctx.name(), HTTP_IDLE, new IdleStateHandler(0, 0, idle, TimeUnit.NANOSECONDS));
            var delay = fc.frontend().inspectDelay();
            var timeouts = fc.frontend().timeouts();
            p.addAfter(HTTP_IDLE, HTTP_TIMER, new HttpRequestTimer(timeouts.httpRequest(delay), timeouts.httpKeepAlive(delay)));
            p.addAfter(HTTP_TIMER, HTTP_CODEC, new HttpServerCodec(MAX_REQUEST_LINE, MAX_HEADER_BYTES, MAX_HEADER_BYTES));
            p.addAfter(HTTP_CODEC, HTTP_BODY, new RtmptBodyAggregator());
            p.addAfter(HTTP_BODY, RTMPT, new RtmptCarrier(fc.tunnels(),
                    (ch, proto, id) -> initTunnel(ch, fc, proto, id), fc.traffic()::sessionWithdrawn));
        }
    }
}
