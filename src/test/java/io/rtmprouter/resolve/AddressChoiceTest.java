package io.rtmprouter.resolve;

import io.rtmprouter.balance.BackendPool;
import io.rtmprouter.config.ConfigParser;
import io.rtmprouter.config.ResolversConfig;
import io.rtmprouter.config.RouterConfig;
import io.rtmprouter.stick.MonotonicClock;
import io.rtmprouter.stick.StickTables;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HAProxy's score over the answers: family, then resolve-net, then an address no one else holds, then the current one. */
class AddressChoiceTest {
    private static List<ResolvedServer> servers(String params, int count) throws Exception {
        RouterConfig c = ConfigParser.parse("t.cfg", "resolvers dns\n nameserver ns1 127.0.9.53:53\nlisten l\n mode tcp\n"
                + " bind 127.0.9.1:1\n timeout connect 1s\n timeout client 1s\n timeout server 1s\n server-template s "
                + count + " origin.test:1 resolvers dns init-addr none " + params + "\n");
        BackendPool pool = new BackendPool(c.backends().get("l"), new StickTables(c.stickTables(), MonotonicClock.SYSTEM));
        List<ResolvedServer> out = new ArrayList<>();
        pool.servers().forEach(s -> out.add(new ResolvedServer(pool, s, ResolversConfig.Holds.DEFAULT)));
        return out;
    }

    private static List<Resolution.Answer> answers(String... addresses) throws Exception {
        List<Resolution.Answer> out = new ArrayList<>();
        for (String a : addresses) {
            out.add(new Resolution.Answer(InetAddress.getByName(a), 0));
        }
        return out;
    }

    private static String chosen(AddressChoice.Choice c) {
        return c.chosen() == null ? null : c.chosen().address.getHostAddress();
    }

    @Test
    void thePreferredFamilyComesFirstThenThePreferredNetwork() throws Exception {
        List<Resolution.Answer> a = answers("2001:db8::1", "192.0.2.1", "10.1.2.3");
        assertEquals("2001:db8:0:0:0:0:0:1", chosen(AddressChoice.choose(a, servers("", 1).get(0), null)),
                "ipv6 is HAProxy's default preference");
        assertEquals("192.0.2.1", chosen(AddressChoice.choose(a, servers("resolve-prefer ipv4", 1).get(0), null)));
        assertEquals("10.1.2.3", chosen(AddressChoice.choose(a,
                servers("resolve-prefer ipv4 resolve-net 10.0.0.0/8", 1).get(0), null)));
    }

    @Test
    void theCurrentAddressWinsATieAndIsReportedAsCurrent() throws Exception {
        List<Resolution.Answer> a = answers("192.0.2.1", "192.0.2.2");
        AddressChoice.Choice c = AddressChoice.choose(a, servers("resolve-prefer ipv4", 1).get(0),
                InetAddress.getByName("192.0.2.2"));
        assertEquals("192.0.2.2", chosen(c));
        assertTrue(c.current());
        assertFalse(AddressChoice.choose(a, servers("resolve-prefer ipv4", 1).get(0), null).current());
    }

    @Test
    void anAddressAnotherServerOfTheBackendHoldsIsNotTakenUnlessDuplicatesAreAllowed() throws Exception {
        List<Resolution.Answer> a = answers("192.0.2.1");
        List<ResolvedServer> two = servers("resolve-prefer ipv4", 2);
        a.get(0).attached.add(two.get(0));
        assertNull(AddressChoice.choose(a, two.get(1), null).chosen());
        List<ResolvedServer> dup = servers("resolve-prefer ipv4 resolve-opts allow-dup-ip", 2);
        a.get(0).attached.clear();
        a.get(0).attached.add(dup.get(0));
        assertEquals("192.0.2.1", chosen(AddressChoice.choose(a, dup.get(1), null)));
    }
}
