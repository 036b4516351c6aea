package io.rtmprouter.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigParserTest {
    private static RouterConfig parse(String text) throws ConfigException {
        return ConfigParser.parse("test.cfg", text);
    }

    private static List<String> errors(String text) {
        return assertThrows(ConfigException.class, () -> parse(text)).errors();
    }

    @Test
    void readsTheReferenceConfigurationAsHaproxyDefinesIt() throws Exception {
        RouterConfig c = ConfigParser.parse(List.of(ConfigParser.Source.of(Path.of("samples/haproxy-reference.cfg"))));

        assertEquals(2, c.frontends().size());
        FrontendConfig ft = c.frontends().get(0);
        assertEquals("ft_rtpm", ft.name());
        assertEquals(ProxyMode.TCP, ft.mode());
        assertEquals(600, ft.maxconn());
        assertEquals("bk_rtmp", ft.defaultBackend());
        assertEquals(List.of(new BindConfig("127.0.0.1", 1935, "rtmp", 0, new SourceLocation("samples/haproxy-reference.cfg", 8))),
                ft.binds());
        assertEquals("127.0.0.1:80", c.frontends().get(1).binds().get(0).toString());

        BackendConfig bk = c.backends().get("bk_rtmp");
        assertEquals(BalanceAlgorithm.ROUNDROBIN, bk.balance());
        assertEquals(new StickTableConfig(StickTableConfig.KeyType.IPV4, 200 * 1024, Duration.ofMinutes(20), false),
                bk.stickTable());
        assertEquals(List.of(StickRule.Kind.STORE_REQUEST, StickRule.Kind.ON),
                bk.stickRules().stream().map(StickRule::kind).toList());
        assertTrue(bk.source().useClientIp());
        assertEquals("0.0.0.0", bk.source().address());
        assertEquals(3, bk.retries());
        assertFalse(bk.redispatch());
        assertEquals(List.of("media01", "media02", "media03"), bk.servers().stream().map(ServerConfig::name).toList());
        ServerConfig media03 = bk.servers().get(2);
        assertEquals("127.0.1.3", media03.host());
        assertEquals(1935, media03.port());
        assertTrue(media03.check());
        assertEquals(200, media03.maxconn());
        assertEquals(8, media03.weight());
        // HAProxy's defaults: inter 2s, rise 2, fall 3, fastinter and downinter = inter, unlimited queue.
        assertEquals(Duration.ofSeconds(2), media03.inter());
        assertEquals(Duration.ofSeconds(2), media03.fastinter());
        assertEquals(Duration.ofSeconds(2), media03.downinter());
        assertEquals(2, media03.rise());
        assertEquals(3, media03.fall());
        assertEquals(0, media03.maxqueue());
        // No timeouts in that file: HAProxy warns, and so do we.
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("missing timeouts for frontend 'ft_rtpm'")),
                c.warnings().toString());
    }

    @Test
    void readsTheRtmpSampleEncodersToTheUploadBackendPlayersToThePool() throws Exception {
        RouterConfig c = ConfigParser.parse(List.of(ConfigParser.Source.of(Path.of("samples/rtmp-router.cfg"))));
        assertEquals(List.of(), c.warnings());
        for (FrontendConfig f : c.frontends()) {
            assertEquals(ProxyMode.RTMP, f.mode());
            assertEquals(Duration.ofSeconds(5), f.inspectDelay());
            assertEquals("bk_upload", f.routing().useBackends().get(0).backend());
            assertEquals("if encoder", f.routing().useBackends().get(0).condition().text());
        }
        assertEquals(List.of("media03"), c.backends().get("bk_upload").servers().stream().map(ServerConfig::name).toList());
        assertEquals(List.of(10, 10, 8), c.backends().get("bk_rtmp").servers().stream().map(ServerConfig::weight).toList());
        assertTrue(c.backends().get("bk_rtmp").stickTable() != null);
        assertEquals(List.of("ft_rtmp", "rtmp-80", "rtmp-443"), c.frontends().stream().map(FrontendConfig::name).toList());
        assertEquals(null, c.frontends().get(1).binds().get(0).tls(), "port 80 has no ssl: RTMPT and RTMP there");
        assertEquals(List.of(Path.of("samples/tls/demo.pem")), c.frontends().get(2).binds().get(0).tls().certificates());
    }

    @Test
    void defaultsApplyToTheSectionsThatFollowAndANewDefaultsSectionStartsOver() throws Exception {
        RouterConfig c = parse("""
                defaults
                  mode tcp
                  timeout connect 5s
                  timeout client 1m
                  timeout server 1m
                  retries 2
                  option redispatch
                  default-server inter 1s fall 2
                frontend a
                  bind :1935
                  default_backend b1
                backend b1
                  server s1 127.0.0.1:1 check
                defaults
                  mode tcp
                backend b2
                  server s2 127.0.0.1:2
                """);
        BackendConfig b1 = c.backends().get("b1");
        assertEquals(Duration.ofSeconds(5), b1.timeouts().connect());
        assertEquals(2, b1.retries());
        assertTrue(b1.redispatch());
        assertEquals(Duration.ofSeconds(1), b1.servers().get(0).inter());
        assertEquals(2, b1.servers().get(0).fall());
        assertEquals(Duration.ofMinutes(1), c.frontends().get(0).timeouts().client());
        assertNull(c.frontends().get(0).binds().get(0).host());

        BackendConfig b2 = c.backends().get("b2");
        assertNull(b2.timeouts().connect());
        assertEquals(3, b2.retries());
        assertFalse(b2.redispatch());
        assertEquals(Duration.ofSeconds(2), b2.servers().get(0).inter());
    }

    @Test
    void listenIsAFrontendAndABackendOfTheSameName() throws Exception {
        RouterConfig c = parse("""
                listen rtmp 127.0.0.1:1935
                  mode tcp
                  bind [::1]:1936,127.0.0.2:1940-1941
                  balance source
                  hash-type consistent
                  server a 127.0.0.1
                """);
        FrontendConfig f = c.frontends().get(0);
        assertEquals("rtmp", f.defaultBackend());
        assertEquals(List.of("127.0.0.1:1935", "[::1]:1936", "127.0.0.2:1940", "127.0.0.2:1941"),
                f.binds().stream().map(BindConfig::toString).toList());
        BackendConfig b = c.backends().get("rtmp");
        assertEquals(BalanceAlgorithm.SOURCE, b.balance());
        assertEquals(HashType.CONSISTENT, b.hashType());
        assertEquals(0, b.servers().get(0).port(), "no port: the client's destination port is used");
    }

    @Test
    void parsesDurationsAndSizesWithHaproxyUnits() throws Exception {
        SourceLocation at = new SourceLocation("f", 1);
        assertEquals(Duration.ofMillis(100), Values.duration("100ms", at, "t"));
        assertEquals(Duration.ofMillis(100), Values.duration("100", at, "t"));
        assertEquals(Duration.ofSeconds(5), Values.duration("5s", at, "t"));
        assertEquals(Duration.ofMinutes(20), Values.duration("20m", at, "t"));
        assertEquals(Duration.ofHours(1), Values.duration("1h", at, "t"));
        assertEquals(Duration.ofDays(1), Values.duration("1d", at, "t"));
        assertEquals(Duration.ofNanos(500_000), Values.duration("500us", at, "t"));
        assertEquals(200 * 1024, Values.size("200k", at, "s"));
        assertEquals(1024 * 1024, Values.size("1m", at, "s"));
        assertEquals(1000, Values.size("1000", at, "s"));
        ConfigException e = assertThrows(ConfigException.class, () -> Values.duration("5x", at, "timeout client"));
        assertEquals("[ALERT] f:1: 'timeout client': unknown time unit 'x' in '5x' (expected us, ms, s, m, h or d)",
                e.getMessage());
        assertThrows(ConfigException.class, () -> Values.duration("30d", at, "t"), "more than 2^31 ms");
    }

    @Test
    void tokenizesQuotesEscapesAndComments() throws Exception {
        SourceLocation at = new SourceLocation("f", 1);
        assertEquals(List.of("a", "b c", "d#e", "f\\g", "h i"),
                LineTokenizer.words("  a\t\"b c\" 'd#e' 'f\\g' h\\ i  # comment", at));
        assertEquals(List.of(), LineTokenizer.words("   # only a comment", at));
        assertEquals(List.of("x\"y"), LineTokenizer.words("\"x\\\"y\"", at));
        assertThrows(ConfigException.class, () -> LineTokenizer.words("a \"open", at));
    }

    @Test
    void unknownKeywordsAreErrorsWithFileLineAndASuggestion() {
        List<String> e = errors("""
                frontend f
                  bind :1935
                  mode tcp
                  maxcon 100
                  default_backend b
                backend b
                  mode tcp
                  balance roundrobbin
                  server s 127.0.0.1:1 wieght 3
                """);
        assertEquals(List.of(
                "[ALERT] test.cfg:4: unknown keyword 'maxcon' in 'frontend' section (did you mean 'maxconn'?)",
                "[ALERT] test.cfg:8: unknown balance algorithm 'roundrobbin' (did you mean 'roundrobin'?)",
                "[ALERT] test.cfg:9: unknown server parameter 'wieght' (did you mean 'weight'?)"), e);
    }

    @Test
    void keywordsWeDoNotImplementYetAreWarnedAboutOnceEachNeverSilentlyIgnored() throws Exception {
        RouterConfig c = parse("""
                global
                  node edge-1
                  daemon
                defaults
                  mode tcp
                  option socket-stats
                  option log-health-checks
                  option contstats
                  timeout connect 1s
                  timeout client 1s
                  timeout server 1s
                frontend f
                  bind :1935
                  default_backend b
                backend b
                  server s 127.0.0.1:1 id 3
                """);
        assertEquals(List.of(
                "[WARNING] test.cfg:2: global 'node' is not implemented by rtmp-router and is ignored",
                "[WARNING] test.cfg:3: global 'daemon' is not implemented by rtmp-router and is ignored",
                "[WARNING] test.cfg:6: 'option socket-stats' is not implemented by rtmp-router and is ignored",
                "[WARNING] test.cfg:7: 'option log-health-checks' is not implemented by rtmp-router and is ignored",
                "[WARNING] test.cfg:8: 'option contstats' is not implemented by rtmp-router and is ignored",
                "[WARNING] test.cfg:16: server parameter 'id' is not implemented by rtmp-router and is ignored"),
                c.warnings());
    }

    @Test
    void keywordsThatWouldChangeTrafficAreRefusedRatherThanIgnored() {
        List<String> e = errors("""
                frontend f
                  mode http
                  bind :80 accept-netscaler-cip 1234
                  tcp-request content silent-drop
                  default_backend b
                  rate-limit sessions 10
                backend b
                  mode tcp
                  balance uri
                  server s 127.0.0.1:1 send-proxy-v2-ssl
                  server t 127.0.0.1:2 track b/s
                  option spop-check
                  http-check disable-on-404
                  timeout tarpit 1s
                  use-server t if TRUE
                """);
        assertEquals(List.of(
                "[ALERT] test.cfg:2: 'mode http' is not supported by rtmp-router",
                "[ALERT] test.cfg:3: bind parameter 'accept-netscaler-cip' is not supported by rtmp-router",
                "[ALERT] test.cfg:4: 'tcp-request content silent-drop' is not supported by rtmp-router yet (supported: accept,"
                        + " reject, track-sc0..2, sc-inc-gpc0(N), sc-inc-gpc1(N), sc-set-gpt0(N), expect-proxy layer4)",
                "[ALERT] test.cfg:6: 'rate-limit sessions' is not supported by rtmp-router",
                "[ALERT] test.cfg:9: 'balance uri' is not supported by rtmp-router yet (supported: roundrobin, leastconn, source, first)",
                "[ALERT] test.cfg:10: server parameter 'send-proxy-v2-ssl' is not supported by rtmp-router",
                "[ALERT] test.cfg:11: server parameter 'track' is not supported by rtmp-router",
                "[ALERT] test.cfg:12: 'option spop-check' is not supported by rtmp-router",
                "[ALERT] test.cfg:13: 'http-check disable-on-404' is not supported by rtmp-router",
                "[ALERT] test.cfg:15: 'use-server' is not supported by rtmp-router"), e);
    }

    @Test
    void crossReferencesAreCheckedWithSuggestions() {
        List<String> e = errors("""
                frontend f
                  mode tcp
                  bind :1935
                  default_backend bk_rtpm
                frontend g
                  mode tcp
                  default_backend bk_rtmp
                backend bk_rtmp
                  mode tcp
                  stick on src table other
                  stick match src
                  server s 127.0.0.1:1
                  server s 127.0.0.1:2
                """);
        assertEquals(List.of(
                "[ALERT] test.cfg:13: server 's' already defined at test.cfg:12",
                "[ALERT] test.cfg:10: stick rule refers to unknown table 'other'",
                "[ALERT] test.cfg:11: stick rule refers to 'bk_rtmp', which has no stick-table",
                "[ALERT] test.cfg:4: frontend 'f' has unknown default_backend 'bk_rtpm' (did you mean 'bk_rtmp'?)",
                "[ALERT] test.cfg:5: frontend 'g' has no 'bind' directive"), e);
    }

    @Test
    void valuesOutOfRangeAreErrors() {
        List<String> e = errors("""
                listen l
                  mode tcp
                  bind :70000
                  server s 127.0.0.1:1 weight 257
                  server t 127.0.0.1:1 rise 0
                  stick-table type string size 1k
                """);
        assertEquals(List.of(
                "[ALERT] test.cfg:3: invalid port '70000' in address ':70000' (1..65535)",
                "[ALERT] test.cfg:4: 'weight' must be between 0 and 256, got 257",
                "[ALERT] test.cfg:5: 'rise' must be between 1 and 1000000, got 0",
                "[ALERT] test.cfg:6: stick-table type 'string' is not supported yet (only src is fetched: use ip, ipv4 or ipv6)"),
                e, "a bind line with an error is not reported a second time as a missing bind");
    }

    @Test
    void aProxyWithoutModeIsWarnedAboutBecauseHaproxyWouldUseHttp() throws Exception {
        RouterConfig c = parse("""
                listen l
                  bind :1
                  server s 127.0.0.1:1
                """);
        assertEquals(ProxyMode.TCP, c.frontends().get(0).mode());
        assertTrue(c.warnings().get(0).startsWith("[WARNING] test.cfg:1: listen 'l' sets no 'mode'"), c.warnings().get(0));
    }

    @Test
    void timeoutsOfTheOtherSideAreIgnoredWithAWarningAsInHaproxy() throws Exception {
        RouterConfig c = parse("""
                frontend f
                  mode tcp
                  bind :1
                  timeout server 5s
                  default_backend b
                backend b
                  mode tcp
                  timeout client 5s
                  timeout tunnel 1h
                  timeout queue 3s
                """);
        assertTrue(c.warnings().contains(
                "[WARNING] test.cfg:4: 'timeout server' ignored because frontend 'f' has no backend capability"));
        assertTrue(c.warnings().contains(
                "[WARNING] test.cfg:8: 'timeout client' ignored because backend 'b' has no frontend capability"));
        Timeouts t = c.backends().get("b").timeouts();
        assertEquals(Duration.ofHours(1), t.serverInactivity().orElseThrow(), "tunnel supersedes server");
        assertEquals(Duration.ofHours(1), t.clientInactivity(c.frontends().get(0).timeouts()).orElseThrow(),
                "the backend's tunnel supersedes the frontend's client timeout");
        Timeouts noTunnel = new Timeouts(null, null, Duration.ofSeconds(9), null, null, null, null, null);
        Timeouts frontend = new Timeouts(null, Duration.ofSeconds(7), null, null, null, null, null, null);
        assertEquals(Duration.ofSeconds(7), noTunnel.clientInactivity(frontend).orElseThrow());
        assertEquals(Duration.ofSeconds(9), noTunnel.serverInactivity().orElseThrow());
        assertEquals(Duration.ofSeconds(3), t.queueTimeout().orElseThrow());
        assertNull(c.frontends().get(0).timeouts().server());
    }

    @Test
    void queueTimeoutDefaultsToConnectTimeout() {
        Timeouts t = new Timeouts(Duration.ofSeconds(4), null, null, null, null, null, null, null);
        assertEquals(Duration.ofSeconds(4), t.queueTimeout().orElseThrow());
        assertTrue(Timeouts.NONE.queueTimeout().isEmpty());
    }

    @Test
    void readsSeveralFilesAndReportsEachFileByName(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path a = dir.resolve("a.cfg");
        Path b = dir.resolve("b.cfg");
        Files.writeString(a, "global\n  maxconn 100\n");
        Files.writeString(b, "frontend f\n  bind :1\n  mode tcp\n  default_backend nowhere\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigParser.parse(List.of(ConfigParser.Source.of(a), ConfigParser.Source.of(b))));
        assertEquals(List.of("[ALERT] " + b + ":4: frontend 'f' has unknown default_backend 'nowhere'"), e.errors());
    }

    @Test
    void spliceIsOffUnlessAskedForPerDirectionAsInHaproxy() throws Exception {
        RouterConfig c = parse("""
                defaults
                  mode tcp
                  option splice-response
                frontend f
                  bind :1
                  option splice-request
                  default_backend b
                backend b
                  no option splice-response
                  server s 127.0.0.1:1
                listen l
                  bind :2
                  option splice-auto
                  server s 127.0.0.1:1
                """);
        assertEquals(new SpliceOptions(true, true, false), c.frontends().get(0).splice());
        assertEquals(SpliceOptions.NONE, c.backends().get("b").splice());
        SpliceOptions l = c.backends().get("l").splice();
        assertEquals(new SpliceOptions(false, true, true), l, "splice-response from defaults, splice-auto its own");
        assertEquals(SpliceOptions.Mode.WHEN_STREAMING, l.clientToServer());
        assertEquals(SpliceOptions.Mode.ALWAYS, l.serverToClient(), "splice-response: always, whatever splice-auto says");
        assertEquals(SpliceOptions.NONE, parse("listen l\n mode tcp\n bind :1\n server s 127.0.0.1:1\n")
                .backends().get("l").splice());
        assertEquals(List.of("[ALERT] test.cfg:3: 'option redispatch' cannot handle unexpected argument '1'"),
                errors("listen l\n mode tcp\n option redispatch 1\n bind :1\n server s 127.0.0.1:1\n"));
    }

    @Test
    void globalSectionSetsProcessWideLimits() throws Exception {
        RouterConfig c = parse("""
                global
                  maxconn 1234
                  nbthread 3
                  nosplice
                  maxpipes 250
                  noreuseport
                listen l
                  mode tcp
                  bind :1
                  server s 127.0.0.1:1
                """);
        assertEquals(new GlobalConfig(1234, 3, false, 250, false), c.global());
        assertEquals(SocketBuffers.KERNEL, c.global().socketBuffers(), "unset: the kernel sizes them");

        RouterConfig tuned = parse("""
                global
                  tune.sndbuf.client 16384
                  tune.rcvbuf.client 8192
                  tune.sndbuf.server 32768
                  tune.rcvbuf.server 65536
                listen l
                  mode tcp
                  bind :1
                  server s 127.0.0.1:1
                """);
        assertEquals(new SocketBuffers(16384, 8192, 32768, 65536), tuned.global().socketBuffers());
        assertTrue(tuned.warnings().stream().noneMatch(w -> w.contains("tune")), "taken, not ignored: " + tuned.warnings());
        assertEquals(List.of("[ALERT] test.cfg:2: 'maxpipes' expects an integer, got 'many'"),
                errors("global\n maxpipes many\n"));
        assertEquals(0, c.frontends().get(0).maxconn(), "0: the global maxconn applies");
    }

    @Test
    void suggestionsPreferCloseWordsAndStaySilentOtherwise() {
        assertEquals("maxconn", Suggestions.closest("maxcon", List.of("maxconn", "mode")).orElseThrow());
        assertEquals("roundrobin", Suggestions.closest("rounrdobin", List.of("roundrobin", "source")).orElseThrow());
        assertTrue(Suggestions.closest("zzzzzz", List.of("maxconn", "mode")).isEmpty());
    }

    @Test
    void theHttpTimeoutsAndTheRtmptLimitsOfAFrontend() throws Exception {
        String base = """
                defaults
                 mode rtmp
                 timeout http-request 3s
                frontend f
                 bind :80
                 maxconn 200
                %s
                 default_backend b
                backend b
                 server s 127.0.0.1:1935
                """;
        FrontendConfig f = parse(base.formatted(" timeout http-keep-alive 500ms\n rtmpt max-sessions-per-source 4\n"
                + " rtmpt any-source")).frontends().get(0);
        assertEquals(java.time.Duration.ofSeconds(3), f.timeouts().httpRequest(java.time.Duration.ofSeconds(5)));
        assertEquals(java.time.Duration.ofMillis(500), f.timeouts().httpKeepAlive(java.time.Duration.ofSeconds(5)));
        assertEquals(new RtmptOptions(4, true), f.rtmpt());
        assertEquals(4, f.rtmpt().perSource(200));

        FrontendConfig unset = parse(base.formatted("").replace(" timeout http-request 3s\n", "")).frontends().get(0);
        assertEquals(java.time.Duration.ofSeconds(5), unset.timeouts().httpRequest(java.time.Duration.ofSeconds(5)),
                "unset: the inspect delay");
        assertEquals(java.time.Duration.ofSeconds(5), unset.timeouts().httpKeepAlive(java.time.Duration.ofSeconds(5)),
                "unset: http-request");
        assertEquals(20, unset.rtmpt().perSource(200));

        assertEquals(List.of("[ALERT] test.cfg:7: unknown 'rtmpt' setting 'any-sauce' (did you mean 'any-source'?); expected "
                + "'rtmpt max-sessions-per-source <n>' or 'rtmpt any-source'"), errors(base.formatted(" rtmpt any-sauce")));
        assertEquals(List.of("[ALERT] test.cfg:7: 'rtmpt any-source' cannot handle unexpected argument 'yes'"),
                errors(base.formatted(" rtmpt any-source yes")));
        assertEquals(List.of("[ALERT] test.cfg:7: 'rtmpt max-sessions-per-source 4' cannot handle unexpected argument 'per'"),
                errors(base.formatted(" rtmpt max-sessions-per-source 4 per")));
        assertEquals(1, errors(base.formatted(" rtmpt max-sessions-per-source 0")).size(), "at least 1");
    }

    private static final String TIMEOUTS = " timeout connect 1s\n timeout client 1s\n timeout server 1s\n";

    @Test
    void zeroWarningMakesAnyWarningFatalAsInHaproxy() throws Exception {
        assertEquals(List.of("[ALERT] Some warnings were found and 'zero-warning' is set. Aborting."),
                errors("global\n zero-warning\n daemon\ndefaults\n mode tcp\n" + TIMEOUTS
                        + "listen l\n bind :1935\n server s 127.0.0.1:1\n"));
        assertEquals(List.of(), parse("global\n zero-warning\ndefaults\n mode tcp\n" + TIMEOUTS
                + "listen l\n bind :1935\n server s 127.0.0.1:1\n").warnings());
    }

    @Test
    void sslDefaultBindOptionsAreHarmlessOnlyWhileNoBindUsesSsl() throws Exception {
        String global = "global\n ssl-default-bind-options ssl-min-ver TLSv1.2\ndefaults\n" + TIMEOUTS;
        assertEquals(List.of("[WARNING] test.cfg:2: global 'ssl-default-bind-options' is not implemented by rtmp-router"
                + " and is ignored"), parse(global + "listen l\n mode tcp\n bind :1935\n server s 127.0.0.1:1\n")
                .warnings());
        assertEquals(List.of("[ALERT] test.cfg:2: 'ssl-default-bind-*' is not supported by rtmp-router, and the bind at"
                + " test.cfg:9 uses ssl: set 'ssl-min-ver' and 'ssl-max-ver' on the bind line instead"),
                errors(global + "listen l\n mode rtmp\n bind :443 ssl crt samples/tls/demo.pem\n server s 127.0.0.1:1\n"));
    }

    @Test
    void modeHttpInDefaultsIsFineWhenEveryProxyOverridesIt() throws Exception {
        String defaults = "defaults\n mode http\n" + TIMEOUTS;
        RouterConfig c = parse(defaults + "frontend f\n mode tcp\n bind :1935\n default_backend b\n"
                + "backend b\n mode tcp\n server s 127.0.0.1:1\n");
        assertEquals(ProxyMode.TCP, c.backends().get("b").mode());
        assertEquals(List.of("[ALERT] test.cfg:10: backend 'b' is in 'mode http' (from the defaults at test.cfg:2), which"
                + " is not supported by rtmp-router: say 'mode tcp' or 'mode rtmp' in it"),
                errors(defaults + "frontend f\n mode tcp\n bind :1935\n default_backend b\nbackend b\n"
                        + " server s 127.0.0.1:1\n"));
        assertEquals(List.of("[ALERT] test.cfg:3: 'mode http' is not supported by rtmp-router"),
                errors("listen l\n bind :1935\n mode http\n server s 127.0.0.1:1\n"));
    }

    @Test
    void backlogOfAProxyIsTheDefaultOfItsBinds() throws Exception {
        RouterConfig c = parse("defaults\n mode tcp\n backlog 4096\n" + TIMEOUTS
                + "listen l\n bind :1935\n bind :1936 backlog 64\n server s 127.0.0.1:1\n");
        List<BindConfig> binds = c.frontends().get(0).binds();
        assertEquals(4096, binds.get(0).backlog());
        assertEquals(64, binds.get(1).backlog());
    }

    @Test
    void keepAliveAndNoLingerApplyToTheSideOfTheProxyThatSetsThem() throws Exception {
        RouterConfig c = parse("defaults\n mode tcp\n option tcpka\n" + TIMEOUTS
                + "frontend f\n bind :1935\n option nolinger\n default_backend b\n"
                + "backend b\n no option tcpka\n server s 127.0.0.1:1\n"
                + "frontend g\n bind :1936\n no option clitcpka\n default_backend c\n"
                + "backend c\n option srvtcpka\n server s 127.0.0.1:1\n");
        assertEquals(new ConnectionOptions(true, true), c.frontends().get(0).connections());
        assertEquals(new ConnectionOptions(false, false), c.frontends().get(1).connections());
        assertEquals(new ConnectionOptions(false, false), c.backends().get("b").connections());
        assertEquals(new ConnectionOptions(true, false), c.backends().get("c").connections());
    }

    @Test
    void balanceFirstRefusesServerIdsWhichHaproxyWouldOrderItBy() throws Exception {
        String head = "defaults\n mode tcp\n" + TIMEOUTS + "listen l\n bind :1935\n balance first\n";
        assertEquals(BalanceAlgorithm.FIRST, parse(head + " server a 127.0.0.1:1 maxconn 10\n").backends().get("l").balance());
        assertEquals(List.of("[ALERT] test.cfg:10: server 'id' orders the servers of 'balance first' in HAProxy, and"
                + " rtmp-router does not implement it: take the servers in their order, without 'id'"),
                errors(head + " server a 127.0.0.1:1 maxconn 10\n server b 127.0.0.1:2 maxconn 10 id 1\n"));
    }

    @Test
    void aProxyInheritsTheNamedDefaultsItNamesAsInHaproxy() throws Exception {
        RouterConfig c = parse("""
                defaults tcpd
                 mode tcp
                 timeout client 3s
                 timeout server 3s
                 timeout connect 1s
                defaults other from tcpd
                 timeout client 7s
                defaults
                 mode http
                listen l from other
                 bind :1935
                 server s 127.0.0.1:1
                """);
        assertEquals(ProxyMode.TCP, c.backends().get("l").mode(), "from 'other', not from the last defaults section");
        assertEquals(Duration.ofSeconds(7), c.frontends().get(0).timeouts().client());
        assertEquals(Duration.ofSeconds(3), c.backends().get("l").timeouts().server(), "'other' inherits 'tcpd'");
        assertEquals(List.of("[ALERT] test.cfg:3: defaults section 'tcp' not found for frontend 'f' (did you mean"
                + " 'tcpd'?)"), errors("defaults tcpd\n mode tcp\nfrontend f from tcp\n bind :1\n default_backend b\n"
                + "backend b from tcpd\n server s 127.0.0.1:1\n").subList(0, 1));
        assertEquals(List.of("[ALERT] test.cfg:1: defaults section 'later' not found for listen 'l'"),
                errors("listen l from later\n bind :1\n server s 127.0.0.1:1\ndefaults later\n mode tcp\n").subList(0, 1),
                "a named defaults section must stand above the proxies that name it");
    }

    @Test
    void smtpchkTakesAtMostItsCommandAndDomainAsHaproxyDoes() {
        // Debian's HAProxy 2.6: "'option smtpchk' cannot handle unexpected argument 'extra'."
        assertEquals(List.of("[ALERT] test.cfg:8: 'option smtpchk' cannot handle unexpected argument 'extra'"),
                errors("defaults\n mode tcp\n" + TIMEOUTS + "listen l\n bind :1935\n option smtpchk EHLO a.b extra\n"
                        + " server s 127.0.0.1:1\n"));
    }

    @Test
    void pgsqlAndMysqlChecksTakeHaproxysArgumentsWithItsErrors() {
        java.util.function.Function<String, List<String>> check = option -> errors("defaults\n mode tcp\n" + TIMEOUTS
                + "listen l\n bind :1935\n option " + option + "\n server s 127.0.0.1:1\n");
        // Debian's HAProxy 2.6 -c, each message without its final period.
        assertEquals(List.of("[ALERT] test.cfg:8: 'option pgsql-check' expects 'user <username>' as argument"),
                check.apply("pgsql-check user"));
        assertEquals(List.of("[ALERT] test.cfg:8: 'option pgsql-check' only supports optional values: 'user'"),
                check.apply("pgsql-check usr x"));
        assertEquals(List.of("[ALERT] test.cfg:8: 'option pgsql-check' cannot handle unexpected argument 'b'"),
                check.apply("pgsql-check user a b"));
        assertEquals(List.of("[ALERT] test.cfg:8: 'option mysql-check' only supports optional values: 'user' (got 'usr')"),
                check.apply("mysql-check usr"));
        assertEquals(List.of("[ALERT] test.cfg:8: 'option mysql-check user' expects <username> as argument"),
                check.apply("mysql-check user"));
        assertEquals(List.of("[ALERT] test.cfg:8: keyword 'user' only supports 'post-41' and 'pre-41' (got 'post-42')"),
                check.apply("mysql-check user a post-42"));
        assertEquals(List.of("[ALERT] test.cfg:8: 'option mysql-check' cannot handle unexpected argument 'x'"),
                check.apply("mysql-check user a pre-41 x"));
    }

    @Test
    void serverTemplateDeclaresNumberedServersAtOneAddressAsHaproxyDoes() throws Exception {
        RouterConfig c = ConfigParser.parse("test.cfg", "defaults\n mode tcp\n" + TIMEOUTS + "listen l\n bind :1935\n"
                + " server-template media 3 127.0.1.1:1935 check maxconn 5\n server-template edge 2-3 127.0.2.1:1935\n");
        List<ServerConfig> servers = c.backends().get("l").servers();
        assertEquals(List.of("media1", "media2", "media3", "edge2", "edge3"),
                servers.stream().map(ServerConfig::name).toList());
        assertTrue(servers.subList(0, 3).stream().allMatch(s -> s.check() && s.maxconn() == 5
                && s.host().equals("127.0.1.1")));
        // Debian's HAProxy 2.6: "Wrong server-template number or range arg '0'."
        assertEquals(List.of("[ALERT] test.cfg:8: Wrong server-template number or range arg '0'"),
                errors("defaults\n mode tcp\n" + TIMEOUTS + "listen l\n bind :1935\n server-template m 0 127.0.1.1:1935\n"));
    }
}
