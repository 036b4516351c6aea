package io.rtmprouter.stick;

import io.rtmprouter.config.CounterFetch;
import io.rtmprouter.config.StickData;
import io.rtmprouter.config.StickTableConfig;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
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

    private static StickTable counting(long size, String... stores) {
        return counting(size, new FakeClock(), stores);
    }

    private static StickTable counting(long size, FakeClock clock, String... stores) {
        return new StickTable("t", storing(size, stores), clock);
    }

    /** A table of `size` keys expiring after 10 s, storing e.g. "CONN_CUR" and "CONN_RATE/10" (10 s). */
    private static StickTableConfig storing(long size, String... stores) {
        Map<StickData, Duration> m = new EnumMap<>(StickData.class);
        for (String st : stores) {
            String[] nameAndPeriod = st.split("/");
            StickData d = StickData.valueOf(nameAndPeriod[0]);
            m.put(d, nameAndPeriod.length > 1 ? Duration.ofSeconds(Long.parseLong(nameAndPeriod[1])) : Duration.ZERO);
        }
        return new StickTableConfig(StickTableConfig.KeyType.IPV4, size, Duration.ofSeconds(10), false, m);
    }

    @Test
    void aTrackedEntryCountsItsConnectionsAndIsNeverPurgedWhileTracked() {
        FakeClock clock = new FakeClock();
        StickTable t = counting(1, clock, "CONN_CUR", "CONN_CNT", "CONN_RATE/10");
        StickEntry a = t.track(A);
        StickEntry again = t.track(A);
        assertSame(a, again);
        assertEquals(OptionalLong.of(2), t.read(a, CounterFetch.Counter.CONN_CUR));
        assertEquals(OptionalLong.of(2), t.read(a, CounterFetch.Counter.CONN_RATE));
        assertEquals(OptionalLong.of(2), t.read(a, CounterFetch.Counter.TRACKERS));
        assertNull(t.track(B), "the one slot is held by a tracked entry");
        clock.advance(Duration.ofSeconds(60));
        assertEquals(OptionalLong.of(2), t.readKey(A, CounterFetch.Counter.CONN_CNT), "tracked entries do not expire");
        t.release(a);
        t.release(again);
        assertEquals(OptionalLong.of(0), t.read(a, CounterFetch.Counter.CONN_CUR));
        assertEquals(OptionalLong.of(2), t.readKey(A, CounterFetch.Counter.CONN_CNT), "released: it expires 10 s from now");
        clock.advance(Duration.ofSeconds(10));
        assertEquals(OptionalLong.of(0), t.readKey(A, CounterFetch.Counter.CONN_CNT), "gone: an unknown key reads 0");
        assertNotNull(t.track(B));
    }

    @Test
    void dataTheTableDoesNotStoreCannotBeRead() {
        StickTable t = counting(10, "CONN_CUR");
        StickEntry a = t.track(A);
        assertEquals(OptionalLong.empty(), t.read(a, CounterFetch.Counter.CONN_RATE));
        assertEquals(OptionalLong.empty(), t.read(a, CounterFetch.Counter.GET_GPC0));
        assertEquals(OptionalLong.of(0), t.readKey(B, CounterFetch.Counter.CONN_RATE), "no entry: 0, as src_* in HAProxy");
    }

    @Test
    void gpc0CountsUpOnIncrementAndFetchesThatChangeItCreateTheEntry() {
        StickTable t = counting(10, "GPC0", "GPC0_RATE/10");
        assertEquals(OptionalLong.of(1), t.readKey(A, CounterFetch.Counter.INC_GPC0), "src_inc_gpc0 creates the entry");
        assertEquals(OptionalLong.of(2), t.readKey(A, CounterFetch.Counter.INC_GPC0));
        assertEquals(OptionalLong.of(2), t.readKey(A, CounterFetch.Counter.GPC0_RATE));
        assertEquals(OptionalLong.of(2), t.readKey(A, CounterFetch.Counter.CLR_GPC0), "clr answers the value it cleared");
        assertEquals(OptionalLong.of(0), t.readKey(A, CounterFetch.Counter.GET_GPC0));
        assertEquals(OptionalLong.of(2), t.readKey(A, CounterFetch.Counter.GPC0_RATE), "clearing gpc0 leaves its rate");
    }

    @Test
    void bytesAreCountedInKilobytesAndAsRates() {
        StickTables tables = new StickTables(Map.of("t", storing(10, "BYTES_IN_CNT", "BYTES_OUT_RATE/1")), new FakeClock());
        StickTable t = tables.get("t");
        TrackedCounters tc = new TrackedCounters(tables, ip("127.0.0.1"));
        tc.track(0, "t");
        tc.moved(3000, 500);
        tc.release(5000, 900);
        assertEquals(OptionalLong.of(4), t.readKey(A, CounterFetch.Counter.KBYTES_IN), "5000 bytes, 4 KiB whole");
        assertEquals(OptionalLong.of(900), t.readKey(A, CounterFetch.Counter.BYTES_OUT_RATE));
        assertEquals(OptionalLong.empty(), t.readKey(A, CounterFetch.Counter.KBYTES_OUT));
    }

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }
}
