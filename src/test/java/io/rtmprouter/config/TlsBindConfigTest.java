package io.rtmprouter.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** `bind ... ssl crt ...` as the configuration reads it; the certificates themselves are loaded in the tls package. */
class TlsBindConfigTest {
    private static final String BACKEND = """
            backend b
              mode tcp
              server s 127.0.0.1:1
            """;

    private static RouterConfig parse(String text) throws ConfigException {
        return ConfigParser.parse("test.cfg", text);
    }

    private static List<String> errors(String text) {
        return assertThrows(ConfigException.class, () -> parse(text)).errors();
    }

    /** A mode rtmp frontend whose second line (test.cfg:2) is `bind` + the given parameters. */
    private static String frontend(String bind) {
        return "frontend f\n  bind " + bind + "\n  mode rtmp\n  default_backend b\n" + BACKEND;
    }

    @Test
    void sslWithCertificatesInOrderAndDefaultVersions() throws Exception {
        RouterConfig c = parse(frontend("127.0.0.1:443,127.0.0.1:8443 ssl crt certs/a.pem crt /etc/ssl/b.pem name tls"));
        List<BindConfig> binds = c.frontends().get(0).binds();
        TlsConfig expected = new TlsConfig(List.of(Path.of("certs/a.pem"), Path.of("/etc/ssl/b.pem")),
                TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);
        assertEquals(List.of(new BindConfig("127.0.0.1", 443, "tls", 0, expected, new SourceLocation("test.cfg", 2)),
                new BindConfig("127.0.0.1", 8443, "tls", 0, expected, new SourceLocation("test.cfg", 2))), binds);
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), expected.protocols());
    }

    @Test
    void parametersMayComeInAnyOrderAndAPlainBindHasNoTls() throws Exception {
        RouterConfig c = parse(frontend("127.0.0.1:443 crt a.pem ssl-max-ver TLSv1.3 ssl ssl-min-ver TLSv1.3")
                .replace("  mode rtmp\n", "  mode rtmp\n  bind 127.0.0.1:1935\n"));
        TlsConfig tls = c.frontends().get(0).binds().get(0).tls();
        assertEquals(new TlsConfig(List.of(Path.of("a.pem")), TlsVersion.TLS_1_3, TlsVersion.TLS_1_3), tls);
        assertEquals(List.of("TLSv1.3"), tls.protocols());
        assertNull(c.frontends().get(0).binds().get(1).tls());
    }

    @Test
    void onlyAMaximumOfTls12LimitsTheBindToTls12() throws Exception {
        TlsConfig tls = parse(frontend(":443 ssl crt a.pem ssl-max-ver TLSv1.2")).frontends().get(0).binds().get(0).tls();
        assertEquals(List.of("TLSv1.2"), tls.protocols());
    }

    @Test
    void crtBasePrefixesRelativePathsOnly() throws Exception {
        RouterConfig c = parse("global\n  crt-base /etc/router/certs\n"
                + frontend(":443 ssl crt site.pem crt /abs/other.pem crt sub/dir"));
        assertEquals(List.of(Path.of("/etc/router/certs/site.pem"), Path.of("/abs/other.pem"),
                        Path.of("/etc/router/certs/sub/dir")),
                c.frontends().get(0).binds().get(0).tls().certificates());
        assertEquals(List.of(), c.warnings().stream().filter(w -> w.contains("crt-base")).toList());
    }

    @Test
    void sslWithoutCertificateIsRefused() {
        assertEquals(List.of("[ALERT] test.cfg:2: bind :443 has 'ssl' but no certificate ('crt')"),
                errors(frontend(":443 ssl")));
    }

    @Test
    void certificateOrVersionsWithoutSslAreRefused() {
        assertEquals(List.of("[ALERT] test.cfg:2: bind parameter 'crt' needs 'ssl' on the same bind line:"
                + " without it the bind is plain TCP"), errors(frontend(":443 crt a.pem")));
        assertEquals(List.of("[ALERT] test.cfg:2: bind parameter 'ssl-min-ver' needs 'ssl' on the same bind line:"
                + " without it the bind is plain TCP"), errors(frontend(":443 ssl-min-ver TLSv1.3")));
    }

    @Test
    void oldProtocolVersionsAreRefused() {
        for (String old : List.of("SSLv3", "TLSv1.0", "TLSv1.1")) {
            assertEquals(List.of("[ALERT] test.cfg:2: 'ssl-min-ver " + old
                    + "' is refused: rtmp-router speaks TLS 1.2 and 1.3 only"),
                    errors(frontend(":443 ssl crt a.pem ssl-min-ver " + old)));
        }
        assertEquals(List.of("[ALERT] test.cfg:2: 'ssl-max-ver TLSv1.1' is refused: rtmp-router speaks TLS 1.2 and"
                + " 1.3 only"), errors(frontend(":443 ssl crt a.pem ssl-max-ver TLSv1.1")));
    }

    @Test
    void unknownVersionsGetADidYouMean() {
        assertEquals(List.of("[ALERT] test.cfg:2: unknown TLS version 'TLSv12' for 'ssl-min-ver'"
                + " (did you mean 'TLSv1.2'?)"), errors(frontend(":443 ssl crt a.pem ssl-min-ver TLSv12")));
        assertEquals(List.of("[ALERT] test.cfg:2: unknown TLS version 'tlsv1.3' for 'ssl-max-ver'"
                + " (did you mean 'TLSv1.3'?)"), errors(frontend(":443 ssl crt a.pem ssl-max-ver tlsv1.3")));
        assertEquals(List.of("[ALERT] test.cfg:2: unknown TLS version 'modern' for 'ssl-max-ver'"
                + " (supported: TLSv1.2, TLSv1.3)"), errors(frontend(":443 ssl crt a.pem ssl-max-ver modern")));
        assertEquals(List.of("[ALERT] test.cfg:2: 'bind :443 ssl crt a.pem ssl-min-ver' is missing an argument"),
                errors(frontend(":443 ssl crt a.pem ssl-min-ver")));
        assertEquals(List.of("[ALERT] test.cfg:2: 'bind :443 ssl crt' is missing an argument"),
                errors(frontend(":443 ssl crt")));
    }

    @Test
    void minimumAboveMaximumIsRefused() {
        assertEquals(List.of("[ALERT] test.cfg:2: 'ssl-min-ver TLSv1.3' is above 'ssl-max-ver TLSv1.2'"),
                errors(frontend(":443 ssl crt a.pem ssl-min-ver TLSv1.3 ssl-max-ver TLSv1.2")));
    }

    @Test
    void tlsParametersOfHaproxyThatWeLackAreRefusedAndTyposGetAHint() {
        assertEquals(List.of("[ALERT] test.cfg:2: bind parameter 'alpn' is not supported by rtmp-router"),
                errors(frontend(":443 ssl crt a.pem alpn h2")));
        assertEquals(List.of("[ALERT] test.cfg:2: bind parameter 'crt-list' is not supported by rtmp-router"),
                errors(frontend(":443 ssl crt-list list.txt")));
        assertEquals(List.of("[ALERT] test.cfg:2: bind parameter 'verify' is not supported by rtmp-router"),
                errors(frontend(":443 ssl crt a.pem verify required")));
        assertEquals(List.of("[ALERT] test.cfg:2: unknown bind parameter 'ssl-min-version' (did you mean 'ssl-min-ver'?)"),
                errors(frontend(":443 ssl crt a.pem ssl-min-version TLSv1.2")));
    }

    @Test
    void sslOnAModeTcpFrontendOrListenTerminatesTls() throws Exception {
        RouterConfig c = ConfigParser.parse("test.cfg", """
                defaults
                  mode tcp
                listen l
                  bind :443 ssl crt a.pem
                  server s 127.0.0.1:1
                """);
        assertEquals(java.nio.file.Path.of("a.pem"), c.frontends().get(0).binds().get(0).tls().certificates().get(0));
    }

    @Test
    void theModeMayBeSetAfterTheBindOrInheritedFromDefaults() throws Exception {
        parse("frontend f\n  bind :443 ssl crt a.pem\n  mode rtmp\n  default_backend b\n" + BACKEND);
        parse("defaults\n  mode rtmp\nfrontend f\n  bind :443 ssl crt a.pem\n  default_backend b\n" + BACKEND);
    }
}
