package io.rtmprouter.testing;

import io.rtmprouter.config.ConfigParser;
import io.rtmprouter.proxy.Router;

/** Starts a router in this JVM from configuration text, as `rtmp-router -f` would. */
public final class RouterUnderTest {
    private RouterUnderTest() {
    }

    public static Router start(String configText) {
        try {
            return Router.start(ConfigParser.parse("scenario.cfg", configText));
        } catch (Exception e) {
            throw new AssertionError("router did not start: " + e.getMessage(), e);
        }
    }
}
