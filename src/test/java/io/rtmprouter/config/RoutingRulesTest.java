package io.rtmprouter.config;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** acl, use_backend and tcp-request: parsed as HAProxy reads them, evaluated on fetched values. */
class RoutingRulesTest {
    private record Values(InetAddress source, Map<Fetch, String> texts) implements RuleTarget {
        @Override
        public String text(Fetch fetch) {
            return texts.get(fetch);
        }

        @Override
        public java.util.OptionalLong counter(CounterFetch fetch) {
            return java.util.OptionalLong.empty();
        }

        @Override
        public void track(int counter, String table) {
            throw new AssertionError("these rules track nothing");
        }

        @Override
        public void incrementGpc(int counter, int which) {
            throw new AssertionError("these rules count nothing");
        }

        @Override
        public void setGpt0(int counter, long value) {
            throw new AssertionError("these rules set nothing");
        }

        @Override
        public void expectProxyHeader() {
            throw new AssertionError("these rules expect no PROXY header");
        }
    }

    private static Values session(String src, Object... fetchAndValue) throws Exception {
        Map<Fetch, String> m = new EnumMap<>(Fetch.class);
        for (int i = 0; i < fetchAndValue.length; i += 2) {
            m.put((Fetch) fetchAndValue[i], (String) fetchAndValue[i + 1]);
        }
        return new Values(InetAddress.getByName(src), m);
    }

    private static RoutingConfig routing(String frontendLines) throws ConfigException {
        RouterConfig c = ConfigParser.parse("r.cfg", "frontend f\n mode rtmp\n bind :1935\n" + frontendLines
                + "backend pool\n mode rtmp\n server a 127.0.1.1:1935\n"
                + "backend upload\n mode tcp\n server c 127.0.1.3:1935\n");
        return c.frontends().get(0).routing();
    }

    private static List<String> errors(String text) {
        return assertThrows(ConfigException.class, () -> ConfigParser.parse("r.cfg", text)).errors();
    }

    @Test
    void publishersGoToTheUploadBackendAndEveryoneElseToTheDefault() throws Exception {
        RoutingConfig r = routing("""
                 acl publisher rtmp.role publisher
                 use_backend upload if publisher
                 default_backend pool
                """);
        assertEquals("upload", r.backendFor(session("127.0.0.9", Fetch.RTMP_ROLE, "publisher")));
        assertEquals("pool", r.backendFor(session("127.0.0.9", Fetch.RTMP_ROLE, "player")));
        assertEquals("pool", r.backendFor(session("127.0.0.9", Fetch.RTMP_ROLE, "unknown", Fetch.RTMP_PROTO, "rtmpe")));
        assertEquals(List.of("pool", "upload"), r.reachableBackends());
    }

    @Test
    void firstMatchingRuleWinsAndConditionsCombineLikeHaproxys() throws Exception {
        RoutingConfig r = routing("""
                 acl live rtmp.app live
                 acl live rtmp.app -m beg live_
                 acl lan src 10.0.0.0/8 192.168.0.0/255.255.0.0
                 acl obs rtmp.flashver -i -m sub fmsc
                 use_backend upload if live obs || { rtmp.tcurl -m reg ^rtmp://upload\\. }
                 use_backend upload if !lan { rtmp.app -m end _ingest }
                 use_backend pool unless live
                 default_backend upload
                """);
        // live AND obs (the two `live` lines are ORed; -i ignores case)
        assertEquals("upload", r.backendFor(session("127.0.0.1", Fetch.RTMP_APP, "live_2", Fetch.RTMP_FLASHVER,
                "FMLE/3.0 (compatible; FMSc/1.0)")));
        // the || alternative: an anonymous regex ACL
        assertEquals("upload", r.backendFor(session("127.0.0.1", Fetch.RTMP_APP, "live",
                Fetch.RTMP_TCURL, "rtmp://upload.example/live")));
        // not from the LAN, app ending in _ingest
        assertEquals("upload", r.backendFor(session("127.0.0.1", Fetch.RTMP_APP, "cam_ingest")));
        assertEquals("pool", r.backendFor(session("10.1.2.3", Fetch.RTMP_APP, "cam_ingest")));
        assertEquals("pool", r.backendFor(session("192.168.7.7", Fetch.RTMP_APP, "vod")));
        // live but neither obs nor the upload tcUrl: `unless live` does not apply, default
        assertEquals("upload", r.backendFor(session("10.0.0.1", Fetch.RTMP_APP, "live")));
        // a missing fetch never matches, but negated it does
        assertEquals("pool", r.backendFor(session("10.0.0.1")));
    }

    @Test
    void matchMethodsAndCase() throws Exception {
        RoutingConfig r = routing("""
                 use_backend upload if { rtmp.swfurl -m found }
                 use_backend upload if { rtmp.pageurl -m str -- -dash- }
                 use_backend upload if { rtmp.app -i STUDIO }
                 use_backend upload if { src 127.0.0.7 ::1 }
                 use_backend upload if LOCALHOST FALSE
                 default_backend pool
                """);
        assertEquals("upload", r.backendFor(session("10.0.0.1", Fetch.RTMP_SWFURL, "")));
        assertEquals("upload", r.backendFor(session("10.0.0.1", Fetch.RTMP_PAGEURL, "-dash-")));
        assertEquals("upload", r.backendFor(session("10.0.0.1", Fetch.RTMP_APP, "Studio")));
        assertEquals("pool", r.backendFor(session("10.0.0.1", Fetch.RTMP_APP, "studio2")));
        assertEquals("upload", r.backendFor(session("127.0.0.7")));
        assertEquals("upload", r.backendFor(session("::1")));
        assertEquals("upload", r.backendFor(session("::ffff:127.0.0.7")), "IPv4 patterns match mapped clients");
        assertEquals("pool", r.backendFor(session("127.0.0.8")), "LOCALHOST FALSE never holds");
    }

    @Test
    void tcpRequestRulesStopAtTheFirstThatApplies() throws Exception {
        RoutingConfig r = routing("""
                 tcp-request inspect-delay 3s
                 tcp-request connection reject if { src 10.9.0.0/16 }
                 tcp-request content accept if { src 10.8.0.1 }
                 tcp-request content reject if { rtmp.proto rtmpe }
                 tcp-request content reject unless { rtmp.app live vod }
                 default_backend pool
                """);
        assertEquals(Duration.ofSeconds(3), r.inspectDelay());
        assertTrue(RoutingConfig.rejecting(r.connectionRules(), session("10.9.1.1")).isPresent());
        assertFalse(RoutingConfig.rejecting(r.connectionRules(), session("10.8.0.1")).isPresent());
        assertFalse(RoutingConfig.rejecting(r.contentRules(), session("10.8.0.1", Fetch.RTMP_PROTO, "rtmpe")).isPresent(),
                "accept ends the evaluation");
        assertEquals("r.cfg:7", RoutingConfig.rejecting(r.contentRules(),
                session("10.0.0.2", Fetch.RTMP_PROTO, "rtmpe")).orElseThrow().where().toString());
        assertEquals("r.cfg:8", RoutingConfig.rejecting(r.contentRules(),
                session("10.0.0.2", Fetch.RTMP_PROTO, "rtmp", Fetch.RTMP_APP, "other")).orElseThrow().where().toString());
        assertFalse(RoutingConfig.rejecting(r.contentRules(),
                session("10.0.0.2", Fetch.RTMP_PROTO, "rtmp", Fetch.RTMP_APP, "vod")).isPresent());
    }

    @Test
    void anRtmpFrontendWaitsFiveSecondsForConnectUnlessToldOtherwise() throws Exception {
        RouterConfig c = ConfigParser.parse("r.cfg", """
                defaults
                 mode rtmp
                 timeout connect 1s
                frontend a
                 bind :1935
                 default_backend pool
                frontend b
                 bind :1936
                 tcp-request inspect-delay 800ms
                 default_backend pool
                backend pool
                 server a 127.0.1.1:1935
                """);
        assertEquals(Duration.ofSeconds(5), c.frontends().get(0).inspectDelay());
        assertEquals(Duration.ofMillis(800), c.frontends().get(1).inspectDelay());
        assertEquals(ProxyMode.RTMP, c.backends().get("pool").mode());
    }

    @Test
    void mistakesAreReportedWithFileAndLine() {
        List<String> e = errors("""
                frontend f
                 mode tcp
                 bind :1935
                 acl pub rtmp.role publisher
                 acl bad rtmp.ap live
                 acl nopat rtmp.app
                 acl f1 rtmp.app -m found live
                 acl re rtmp.app -m reg (
                 acl ip src 10.0.0.300
                 acl m src -m beg 10.
                 acl flag rtmp.app -f /etc/apps.lst
                 use_backend pool if pub
                 use_backend pool if publisher
                 use_backend pool if { rtmp.app live
                 use_backend pool when pub
                 use_backend nowhere
                 tcp-request inspect-delay 2s
                 tcp-request connection reject if { rtmp.app live }
                 tcp-request session silent-drop
                 default_backend rtmp_pool
                backend pool
                 mode tcp
                 server a 127.0.1.1:1935
                backend rtmp_pool
                 mode rtmp
                 server a 127.0.1.1:1935
                """);
        assertEquals(List.of(
                "[ALERT] r.cfg:5: unknown fetch method 'rtmp.ap' in ACL expression (did you mean 'rtmp.app'?)",
                "[ALERT] r.cfg:6: acl 'nopat' has no pattern to match ('-m found' tests presence)",
                "[ALERT] r.cfg:7: '-m found' takes no pattern, got 'live'",
                "[ALERT] r.cfg:8: invalid regex '(': Unclosed group",
                "[ALERT] r.cfg:9: '10.0.0.300' is not an IPv4 or IPv6 address or network",
                "[ALERT] r.cfg:10: match method 'beg' does not apply to 'src' (use one of ip, found)",
                "[ALERT] r.cfg:11: ACL flag '-f' is not supported by rtmp-router yet",
                "[ALERT] r.cfg:14: missing closing '}' in condition",
                "[ALERT] r.cfg:15: 'use_backend' expects 'if' or 'unless', got 'when'",
                "[ALERT] r.cfg:19: 'tcp-request session silent-drop' is not supported by rtmp-router yet (supported:"
                        + " accept, reject, track-sc0..2, sc-inc-gpc0(N), sc-inc-gpc1(N), sc-set-gpt0(N), expect-proxy layer4)",
                "[ALERT] r.cfg:20: frontend 'f' in mode tcp cannot use backend 'rtmp_pool' in mode rtmp",
                "[ALERT] r.cfg:12: fetch 'rtmp.role' needs 'mode rtmp', but frontend 'f' is in mode tcp",
                "[ALERT] r.cfg:13: no such ACL : 'publisher'",
                "[ALERT] r.cfg:16: frontend 'f' has unknown use_backend 'nowhere'",
                "[ALERT] r.cfg:18: fetch 'rtmp.app' is not known yet at 'tcp-request connection' or 'session' time;"
                        + " use 'tcp-request content'"), e);
    }

    @Test
    void inspectDelayInModeTcpIsWarnedAboutAndSrcRulesStillApply() throws Exception {
        RouterConfig c = ConfigParser.parse("r.cfg", """
                frontend f
                 mode tcp
                 bind :1935
                 timeout client 1m
                 tcp-request inspect-delay 2s
                 tcp-request content reject if { src 10.0.0.0/8 }
                 use_backend b if { src 127.0.0.2 }
                 default_backend a
                backend a
                 mode tcp
                 timeout connect 1s
                 timeout server 1m
                 server a 127.0.1.1:1935
                backend b
                 mode tcp
                 timeout connect 1s
                 timeout server 1m
                 server b 127.0.1.2:1935
                """);
        assertEquals(List.of("[WARNING] r.cfg:5: 'tcp-request inspect-delay' has no effect in frontend 'f': in mode"
                + " tcp rtmp-router inspects no content (only 'src' and stick counters can be fetched)"), c.warnings());
        FrontendConfig f = c.frontends().get(0);
        assertEquals(Duration.ZERO, f.inspectDelay());
        assertEquals("b", f.routing().backendFor(session("127.0.0.2")));
        assertEquals("a", f.routing().backendFor(session("127.0.0.3")));
        assertNull(RoutingConfig.rejecting(f.routing().contentRules(), session("127.0.0.3")).orElse(null));
    }
}
