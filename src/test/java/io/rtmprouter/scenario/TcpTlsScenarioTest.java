package io.rtmprouter.scenario;

import io.rtmprouter.testing.Programs;
import io.rtmprouter.testing.ScenarioRig;
import io.rtmprouter.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plain TLS termination on a mode tcp `ssl` bind, rtmp-router and Debian's HAProxy side by side
 * with the same certificate in front of nginx's HTTP port: curl gets nginx's health page through
 * both, and a client that does not speak TLS is turned away by both.
 */
class TcpTlsScenarioTest {
    @RegisterExtension
    static final ScenarioRig rig = ScenarioRig.withOrigins("session");

    private static String config(int port, Path pem) {
        return ScenarioRig.LOGGED_TCP_DEFAULTS + """
                listen tls_offload
                 bind 127.0.0.1:%d ssl crt %s
                 server media01 127.0.1.1:8080
                """.formatted(port, pem);
    }

    private static Programs.Result curl(int port) {
        return Programs.run(List.of("curl", "-sk", "--max-time", "10", "https://127.0.0.1:" + port + "/health"),
                Map.of(), Duration.ofSeconds(20));
    }

    @Test
    void curlReachesNginxThroughTheTlsTerminationOfBoth() throws Exception {
        Path pem = TestCertificates.rsa("origin.example", "origin.example")
                .writePem(rig.dir().resolve("offload.pem"), TestCertificates.KeyFormat.PKCS8);
        int routerPort = ScenarioRig.freePort();
        int haproxyPort = ScenarioRig.freePort();
        rig.router(config(routerPort, pem));
        rig.haproxy("tls_offload", config(haproxyPort, pem));
        ScenarioRig.awaitListening(haproxyPort);

        assertEquals("ok\n", curl(haproxyPort).stdout(), "through HAProxy");
        assertEquals("ok\n", curl(routerPort).stdout(), "through rtmp-router");
        String end = rig.log().await(10_000, "event=end", "frontend=tls_offload ");
        assertTrue(end.contains(" proto=tls ") && end.contains(" server=media01 "), end);

        Programs.Result plain = Programs.run(List.of("curl", "-s", "--max-time", "5", "http://127.0.0.1:" + routerPort
                + "/health"), Map.of(), Duration.ofSeconds(20));
        assertTrue(plain.stdout().isEmpty(), "no answer to plain HTTP: " + plain.stdout());
        String refused = rig.log().await(10_000, "event=end", "frontend=tls_offload ", "term=bad_request");
        assertTrue(refused.contains("TLS handshake failed"), refused);
    }
}
