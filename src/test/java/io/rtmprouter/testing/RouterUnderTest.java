package io.rtmprouter.testing;

import io.rtmprouter.config.ConfigParser;
import io.rtmprouter.proxy.Router;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Starts a router in this JVM from configuration text, as `rtmp-router -f` would. */
public final class RouterUnderTest {
    private RouterUnderTest() {
    }

    /**
     * samples/rtmp-router.cfg as shipped (ports 1935, 80 and 443 on 127.0.0.1), with the
     * self-signed certificate its TLS listener names made first, as the demo makes it.
     */
    public static Router startSample() {
        return startSample("");
    }

    /** The sample with `head` (a global section, say) before its first line. */
    public static Router startSample(String head) {
        Programs.Result r = Programs.run(List.of("bash", "scripts/demo-certificate"), Map.of(), Duration.ofSeconds(30));
        if (r.exitCode() != 0) {
            throw new AssertionError("scripts/demo-certificate failed: " + r.describe());
        }
        try {
            if (head.isEmpty()) {
                return Router.start(ConfigParser.parse(List.of(ConfigParser.Source.of(Path.of("samples/rtmp-router.cfg")))));
            }
            return Router.start(ConfigParser.parse("rtmp-router.cfg", head + Files.readString(Path.of("samples/rtmp-router.cfg"))));
        } catch (Exception e) {
            throw new AssertionError("router did not start: " + e.getMessage(), e);
        }
    }

    public static Router start(String configText) {
        try {
            return Router.start(ConfigParser.parse("scenario.cfg", configText));
        } catch (Exception e) {
            throw new AssertionError("router did not start: " + e.getMessage(), e);
        }
    }
}
