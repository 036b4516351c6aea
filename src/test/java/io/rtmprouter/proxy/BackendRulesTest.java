package io.rtmprouter.proxy;

import io.rtmprouter.config.ConfigException;
import io.rtmprouter.config.ConfigParser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `acl` and `tcp-request content` in a backend, as HAProxy runs them: after the frontend's, on its own ACLs. */
class BackendRulesTest {
    private static final String CONFIG = """
            frontend f
             mode tcp
             bind :1935
             default_backend guarded
            backend guarded
             mode tcp
             acl internal_networks src 192.168.0.0/16 172.16.0.0/12 10.0.0.0/8
             tcp-request content reject if ! internal_networks
             server s1 10.0.0.1:1936
            """;

    @Test
    void aBackendsRulesRefuseWhomItsOwnAclsDoNotKnow() throws Exception {
        FakeServers fake = new FakeServers(CONFIG);
        EmbeddedClient outsider = fake.client("127.0.0.5");
        outsider.runPendingTasks();
        assertFalse(outsider.isOpen());
        assertTrue(fake.lastLog().contains("backend=guarded "), fake.lastLog());
        assertTrue(fake.lastLog().endsWith("term=rejected detail=\"tcp-request content reject at t.cfg:8\""),
                fake.lastLog());
        assertTrue(fake.attempts.isEmpty());
        EmbeddedClient inside = fake.client("10.1.2.3");
        inside.runPendingTasks();
        assertTrue(inside.isOpen());
        assertEquals(1, fake.attempts.size());
        inside.finishAndReleaseAll();
    }

    @Test
    void aBackendTakesNoConnectionOrSessionRulesAsHaproxySays() {
        List<String> e = assertThrows(ConfigException.class, () -> ConfigParser.parse("t.cfg",
                CONFIG.replace(" tcp-request content reject", " tcp-request connection reject"))).errors();
        assertEquals(List.of("[ALERT] t.cfg:8: tcp-request connection is not allowed because backend guarded is not"
                + " a frontend"), e);
    }
}
