package io.rtmprouter.balance;

import io.rtmprouter.config.ConfigException;
import io.rtmprouter.config.ConfigParser;
import io.rtmprouter.config.RouterConfig;
import io.rtmprouter.stick.MonotonicClock;
import io.rtmprouter.stick.StickTables;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Builds pools from configuration text, as the router does, for tests. */
final class Pools {
    private Pools() {
    }

    static BackendPool fromBackend(String backendBody, MonotonicClock clock) {
        String text = "listen l\n mode tcp\n bind :1\n" + backendBody;
        try {
            RouterConfig c = ConfigParser.parse("test.cfg", text);
            return BackendPool.of(c.backends().values(), new StickTables(c.stickTables(), clock), clock).get("l");
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static InetAddress client(int n) {
        return ip("127.0." + (n / 250) + "." + (n % 250 + 1));
    }

    static Server server(BackendPool p, String name) {
        return p.servers().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** Asks for a server and expects one at once. */
    static Server assigned(BackendPool p, InetAddress client) {
        BackendPool.Assignment a = p.assign(client, s -> {
            throw new AssertionError("not expected to queue");
        }, null);
        if (a instanceof BackendPool.Assigned as) {
            return as.server();
        }
        throw new AssertionError("expected a server, got " + a);
    }
}
