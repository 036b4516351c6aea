package io.rtmprouter.proxy;

import io.rtmprouter.config.ConfigParser;
import io.rtmprouter.config.ServerConfig;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `init-addr`, with a resolver of the test's own: no name here is ever looked up on a network. */
class ServerAddressesTest {
    private final List<String> lookedUp = new ArrayList<>();

    private InetAddress resolver(String host) throws UnknownHostException {
        lookedUp.add(host);
        if (host.equals("media01")) {
            return InetAddress.getByName("127.0.1.1");
        }
        throw new UnknownHostException(host);
    }

    private static ServerConfig server(String line) throws Exception {
        return ConfigParser.parse("t.cfg", "listen l\n mode tcp\n bind :1\n" + line + "\n").backends().get("l")
                .servers().get(0);
    }

    @Test
    void theDefaultIsLastThenLibc() throws Exception {
        assertEquals(new InetSocketAddress("127.0.1.1", 1935), ServerAddresses.of(server(" server s media01:1935"),
                this::resolver).address());
        assertEquals(List.of("media01"), lookedUp);
        StartupException e = assertThrows(StartupException.class,
                () -> ServerAddresses.of(server(" server s media09:1935"), this::resolver));
        assertEquals("t.cfg:4: could not resolve address 'media09' of server 's'", e.getMessage());
    }

    @Test
    void noneStartsTheServerWithoutAnAddressAndAnAddressOfItsOwnNeedsNoLookup() throws Exception {
        ServerAddresses.Found none = ServerAddresses.of(server(" server s media09:1935 init-addr libc,none"),
                this::resolver);
        assertNull(none.address());
        assertTrue(none.fellBack(), "libc failed first: HAProxy warns");
        assertEquals(new InetSocketAddress("127.0.9.9", 1935),
                ServerAddresses.of(server(" server s media09:1935 init-addr 127.0.9.9"), this::resolver).address());
        assertEquals(List.of("media09"), lookedUp, "the address of its own was not looked up");
        assertFalse(ServerAddresses.of(server(" server s media09:1935 init-addr none"), this::resolver).fellBack(),
                "'none' alone is no failure, and HAProxy says nothing");
    }

    @Test
    void withResolversTheDefaultEndsWithNoneAsInHaproxy() throws Exception {
        ServerConfig s = ConfigParser.parse("t.cfg", "resolvers dns\n nameserver ns1 127.0.9.53:53\nlisten l\n"
                + " mode tcp\n bind :1\n server s media09:1935 resolvers dns\n").backends().get("l").servers().get(0);
        assertEquals(List.of("last", "libc", "none"), s.initAddr());
        ServerAddresses.Found f = ServerAddresses.of(s, this::resolver);
        assertNull(f.address());
        assertTrue(f.fellBack());
    }

    @Test
    void anUnknownMethodIsHaproxysError() {
        var e = assertThrows(io.rtmprouter.config.ConfigException.class, () -> server(" server s media01:1 init-addr dns"));
        assertTrue(e.getMessage().contains("'init-addr' : unknown init-addr method 'dns', supported methods are 'libc',"
                + " 'last', 'none'."), e.getMessage());
    }
}
