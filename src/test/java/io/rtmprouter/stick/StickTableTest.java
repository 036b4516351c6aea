package io.rtmprouter.stick;

import io.rtmprouter.config.StickTableConfig;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StickTableTest {
    private static final byte[] A = {127, 0, 0, 1};
    private static final byte[] B = {127, 0, 0, 2};
    private static final byte[] C = {127, 0, 0, 3};

    private static StickTable table(long size, Duration expire, boolean nopurge, FakeClock clock) {
        return new StickTable(new StickTableConfig(StickTableConfig.KeyType.IPV4, size, expire, nopurge), clock);
    }

    @Test
    void anEntryExpiresAfterItsLastUseNotItsCreation() {
        FakeClock clock = new FakeClock();
        StickTable t = table(10, Duration.ofMinutes(20), false, clock);
        t.store(A, "media01");
        clock.advance(Duration.ofMinutes(15));
        assertEquals("media01", t.match(A), "a match refreshes the entry");
        clock.advance(Duration.ofMinutes(15));
        assertEquals("media01", t.match(A), "30 minutes after creation but 15 after the last match");
        clock.advance(Duration.ofMinutes(20));
        assertNull(t.match(A));
        assertEquals(0, t.size());
    }

    @Test
    void whenFullTheEntryUnusedForLongestIsPurged() {
        FakeClock clock = new FakeClock();
        StickTable t = table(2, Duration.ofMinutes(20), false, clock);
        t.store(A, "s1");
        clock.advance(Duration.ofSeconds(1));
        t.store(B, "s2");
        clock.advance(Duration.ofSeconds(1));
        t.match(A);
        assertTrue(t.store(C, "s3"));
        assertEquals(2, t.size());
        assertNull(t.match(B), "B was used least recently");
        assertEquals("s1", t.match(A));
        assertEquals("s3", t.match(C));
    }

    @Test
    void nopurgeKeepsAFullTableAsItIs() {
        StickTable t = table(1, null, true, new FakeClock());
        assertTrue(t.store(A, "s1"));
        assertFalse(t.store(B, "s2"));
        assertTrue(t.store(A, "s9"), "an existing key is still updated");
        assertEquals("s9", t.match(A));
        assertNull(t.match(B));
    }

    @Test
    void expiredEntriesMakeRoomBeforeLiveOnesArePurged() {
        FakeClock clock = new FakeClock();
        StickTable t = table(2, Duration.ofSeconds(10), true, clock);
        t.store(A, "s1");
        clock.advance(Duration.ofSeconds(11));
        t.store(B, "s2");
        assertTrue(t.store(C, "s3"), "A expired, so nopurge has room");
        assertEquals("s2", t.match(B));
    }

    @Test
    void ipv6TablesStoreIpv4ClientsAsMappedAddresses() {
        byte[] key = StickKeys.of(ip("127.0.0.9"), StickTableConfig.KeyType.IPV6);
        assertEquals(16, key.length);
        assertEquals((byte) 0xff, key[10]);
        assertEquals(9, key[15]);
        assertNull(StickKeys.of(ip("::2"), StickTableConfig.KeyType.IPV4), "IPv6 cannot go into an ipv4 table");
        assertEquals(4, StickKeys.of(ip("::ffff:127.0.0.1"), StickTableConfig.KeyType.IPV4).length);
    }

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }
}
