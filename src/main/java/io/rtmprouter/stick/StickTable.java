package io.rtmprouter.stick;

import io.rtmprouter.config.CounterFetch;
import io.rtmprouter.config.StickData;
import io.rtmprouter.config.StickTableConfig;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.OptionalLong;

/**
 * A bounded map from client address to what HAProxy's stick tables keep: the server of `stick
 * on`, and the counters of `store`. An entry expires `expire` after it was last touched
 * (created, matched, or its counters changed) unless a session tracks it; when the table is full
 * the untracked entry touched longest ago is purged (with nopurge, the new key is not stored).
 * Shared by every proxy whose rules name it, so it locks on its own.
 */
public final class StickTable {
    private final String name;
    private final StickTableConfig config;
    private final MonotonicClock clock;
    private final long expireNanos;
    /** Touch order: an entry is moved to the tail whenever it is touched, so the head expires first. */
    private final LinkedHashMap<ByteBuffer, StickEntry> entries = new LinkedHashMap<>();

    public StickTable(String name, StickTableConfig config, MonotonicClock clock) {
        this.name = name;
        this.config = config;
        this.clock = clock;
        this.expireNanos = config.expire() == null ? Long.MAX_VALUE : config.expire().toNanos();
    }

    public StickTable(StickTableConfig config, MonotonicClock clock) {
        this("", config, clock);
    }

    public String name() {
        return name;
    }

    public StickTableConfig config() {
        return config;
    }

    // ---- stick on|match|store-request ----------------------------------------------------

    /** The server stored for this client, refreshing the entry, or null. */
    public synchronized String match(byte[] key) {
        StickEntry e = live(ByteBuffer.wrap(key), clock.nanoTime());
        if (e == null || e.server == null) {
            return null;
        }
        touch(e, clock.nanoTime());
        return e.server;
    }

    /** Stores or overwrites this client's server. Returns false when the table had no room. */
    public synchronized boolean store(byte[] key, String server) {
        StickEntry e = getOrCreate(key, clock.nanoTime());
        if (e == null) {
            return false;
        }
        e.server = server;
        return true;
    }

    // ---- track-sc --------------------------------------------------------------------------

    /**
     * Starts tracking this key for one session, as HAProxy's `stream_start_counters`: the
     * connection counts once more, now and in total. Null when the table had no room.
     */
    public synchronized StickEntry track(byte[] key) {
        long now = clock.nanoTime();
        StickEntry e = getOrCreate(key, now);
        if (e == null) {
            return null;
        }
        e.trackers++;
        e.connCur++;
        e.connCnt++;
        addRate(e.connRate, StickData.CONN_RATE, now, 1);
        return e;
    }

    /** The tracked session became a session (it passed the connection rules): `sess_cnt`, `sess_rate`. */
    public synchronized void countSession(StickEntry e) {
        long now = clock.nanoTime();
        e.sessCnt++;
        addRate(e.sessRate, StickData.SESS_RATE, now, 1);
        touch(e, now);
    }

    /** Bytes the tracking session moved since it last said: client to server (in) and back (out). */
    public synchronized void addBytes(StickEntry e, long in, long out) {
        if (in == 0 && out == 0) {
            return;
        }
        long now = clock.nanoTime();
        e.bytesIn += in;
        e.bytesOut += out;
        addRate(e.bytesInRate, StickData.BYTES_IN_RATE, now, in);
        addRate(e.bytesOutRate, StickData.BYTES_OUT_RATE, now, out);
        touch(e, now);
    }

    /** The session is over: one connection less, and an expired entry nobody tracks goes. */
    public synchronized void release(StickEntry e) {
        long now = clock.nanoTime();
        if (e.connCur > 0) {
            e.connCur--;
        }
        e.trackers--;
        touch(e, now);
    }

    public synchronized void incrementGpc(StickEntry e, int which) {
        incrementGpc(e, which, clock.nanoTime());
    }

    public synchronized void setGpt0(StickEntry e, long value) {
        e.gpt0 = value;
        touch(e, clock.nanoTime());
    }

    // ---- fetches ---------------------------------------------------------------------------

    /**
     * What a counter fetch reads from an entry a session tracks; empty when the table does not
     * store that data (HAProxy's fetch then fails).
     */
    public synchronized OptionalLong read(StickEntry e, CounterFetch.Counter what) {
        return read(e, what, clock.nanoTime());
    }

    /**
     * What a counter fetch reads for a key (`src_*`, or `scN_*(table)`): 0 when the key has no
     * entry. `inc_`/`clr_` fetches create the entry, as HAProxy's do.
     */
    public synchronized OptionalLong readKey(byte[] key, CounterFetch.Counter what) {
        long now = clock.nanoTime();
        StickEntry e = live(ByteBuffer.wrap(key), now);
        if (e == null) {
            boolean creates = what.read() == CounterFetch.Read.INCREMENT || what.read() == CounterFetch.Read.CLEAR;
            e = creates ? getOrCreate(key, now) : null;
            if (e == null) {
                return OptionalLong.of(0);
            }
        }
        return read(e, what, now);
    }

    /**
     * One entry as `show table NAME` lists it: an id that stays the entry's (HAProxy prints its
     * address), its key, the sessions tracking it (use), the
     * milliseconds before it expires (exp), its server, and its stored data by HAProxy's names
     * and in HAProxy's order (gpt0, gpc0, gpc0_rate, conn_cnt, conn_rate, conn_cur, sess_cnt,
     * sess_rate, bytes_in_cnt, bytes_in_rate, bytes_out_cnt, bytes_out_rate, gpc1, gpc1_rate).
     */
    public record EntryView(long id, String key, int use, long expMillis, String server, java.util.Map<String, Long> data) {
    }

    /** Its live entries, oldest touch first. */
    public synchronized java.util.List<EntryView> entries() {
        long now = clock.nanoTime();
        purgeExpired(now);
        java.util.List<EntryView> out = new java.util.ArrayList<>();
        for (StickEntry e : entries.values()) {
            java.util.Map<String, Long> d = new java.util.LinkedHashMap<>();
            put(d, StickData.GPT0, e.gpt0, null, now);
            put(d, StickData.GPC0, e.gpc0, null, now);
            put(d, StickData.GPC0_RATE, 0, e.gpc0Rate, now);
            put(d, StickData.CONN_CNT, e.connCnt, null, now);
            put(d, StickData.CONN_RATE, 0, e.connRate, now);
            put(d, StickData.CONN_CUR, e.connCur, null, now);
            put(d, StickData.SESS_CNT, e.sessCnt, null, now);
            put(d, StickData.SESS_RATE, 0, e.sessRate, now);
            put(d, StickData.BYTES_IN_CNT, e.bytesIn, null, now);
            put(d, StickData.BYTES_IN_RATE, 0, e.bytesInRate, now);
            put(d, StickData.BYTES_OUT_CNT, e.bytesOut, null, now);
            put(d, StickData.BYTES_OUT_RATE, 0, e.bytesOutRate, now);
            put(d, StickData.GPC1, e.gpc1, null, now);
            put(d, StickData.GPC1_RATE, 0, e.gpc1Rate, now);
            long exp = e.expiresAt == Long.MAX_VALUE ? 0 : Math.max(0, (e.expiresAt - now) / 1_000_000);
            out.add(new EntryView(System.identityHashCode(e), keyText(e.key), e.trackers, exp, e.server, d));
        }
        return out;
    }

    private void put(java.util.Map<String, Long> d, StickData data, long value, FreqCounter rate, long now) {
        if (!config.stores(data)) {
            return;
        }
        if (data.rate()) {
            long period = config.periodMillis(data);
            d.put(data.keyword() + "(" + period + ")", rate == null ? 0 : rate.read(now / 1_000_000, period));
        } else {
            d.put(data.keyword(), value);
        }
    }

    private static String keyText(ByteBuffer key) {
        byte[] b = new byte[key.remaining()];
        key.duplicate().get(b);
        try {
            return java.net.InetAddress.getByAddress(b).getHostAddress(); // an address key: no look-up
        } catch (java.net.UnknownHostException ex) {
            return "?";
        }
    }

    public synchronized int size() {
        purgeExpired(clock.nanoTime());
        return entries.size();
    }

    // ---- inside the lock -------------------------------------------------------------------

    private OptionalLong read(StickEntry e, CounterFetch.Counter what, long now) {
        if (what.read() == CounterFetch.Read.TRACKERS) {
            return OptionalLong.of(e.trackers);
        }
        StickData data = what.data();
        if (what.read() == CounterFetch.Read.INCREMENT) {
            return incrementGpc(e, what == CounterFetch.Counter.INC_GPC0 ? 0 : 1, now);
        }
        if (!config.stores(data)) {
            return OptionalLong.empty();
        }
        long nowMs = now / 1_000_000;
        return switch (what) {
            case CONN_CUR -> OptionalLong.of(e.connCur);
            case CONN_CNT -> OptionalLong.of(e.connCnt);
            case SESS_CNT -> OptionalLong.of(e.sessCnt);
            case KBYTES_IN -> OptionalLong.of(e.bytesIn >> 10);
            case KBYTES_OUT -> OptionalLong.of(e.bytesOut >> 10);
            case GET_GPC0 -> OptionalLong.of(e.gpc0);
            case GET_GPC1 -> OptionalLong.of(e.gpc1);
            case GET_GPT0 -> OptionalLong.of(e.gpt0);
            case CLR_GPC0, CLR_GPC1 -> {
                boolean first = what == CounterFetch.Counter.CLR_GPC0;
                long was = first ? e.gpc0 : e.gpc1;
                if (first) {
                    e.gpc0 = 0;
                } else {
                    e.gpc1 = 0;
                }
                touch(e, now);
                yield OptionalLong.of(was);
            }
            case CONN_RATE -> rate(e.connRate, data, nowMs);
            case SESS_RATE -> rate(e.sessRate, data, nowMs);
            case BYTES_IN_RATE -> rate(e.bytesInRate, data, nowMs);
            case BYTES_OUT_RATE -> rate(e.bytesOutRate, data, nowMs);
            case GPC0_RATE -> rate(e.gpc0Rate, data, nowMs);
            case GPC1_RATE -> rate(e.gpc1Rate, data, nowMs);
            default -> throw new IllegalStateException(what.name());
        };
    }

    private OptionalLong rate(FreqCounter c, StickData data, long nowMs) {
        return OptionalLong.of(c.read(nowMs, config.periodMillis(data)));
    }

    /**
     * HAProxy's `inc_gpc0`: the rate counts one more if stored, the counter too; the answer is the
     * counter, else the rate's current period. 0 when the table stores neither.
     */
    private OptionalLong incrementGpc(StickEntry e, int which, long now) {
        FreqCounter rate = which == 0 ? e.gpc0Rate : e.gpc1Rate;
        StickData rateData = which == 0 ? StickData.GPC0_RATE : StickData.GPC1_RATE;
        boolean counted = config.stores(which == 0 ? StickData.GPC0 : StickData.GPC1);
        long answer = 0;
        if (rate != null) {
            answer = rate.addAndGetCurrent(now / 1_000_000, config.periodMillis(rateData), 1);
        }
        if (counted) {
            answer = which == 0 ? ++e.gpc0 : ++e.gpc1;
        }
        if (rate != null || counted) {
            touch(e, now);
        }
        return OptionalLong.of(answer);
    }

    private void addRate(FreqCounter c, StickData data, long now, long events) {
        if (c != null) {
            c.add(now / 1_000_000, config.periodMillis(data), events);
        }
    }

    private StickEntry live(ByteBuffer key, long now) {
        StickEntry e = entries.get(key);
        if (e != null && e.trackers == 0 && expired(e, now)) {
            entries.remove(key);
            return null;
        }
        return e;
    }

    private StickEntry getOrCreate(byte[] key, long now) {
        ByteBuffer k = ByteBuffer.wrap(key.clone());
        StickEntry e = live(k, now);
        if (e != null) {
            touch(e, now);
            return e;
        }
        if (entries.size() >= config.size() && !makeRoom(now)) {
            return null;
        }
        e = new StickEntry(k, config);
        e.expiresAt = deadline(now);
        entries.put(k, e);
        return e;
    }

    /** HAProxy purges expired entries first, then (without nopurge) the oldest nobody tracks. */
    private boolean makeRoom(long now) {
        purgeExpired(now);
        if (entries.size() < config.size()) {
            return true;
        }
        if (config.nopurge()) {
            return false;
        }
        Iterator<StickEntry> it = entries.values().iterator();
        while (it.hasNext()) {
            if (it.next().trackers == 0) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    private void purgeExpired(long now) {
        Iterator<StickEntry> it = entries.values().iterator();
        while (it.hasNext()) {
            StickEntry e = it.next();
            if (e.trackers > 0) {
                continue; // tracked entries live on; those behind them may still have expired
            }
            if (!expired(e, now)) {
                break; // in touch order, every entry after this one is younger
            }
            it.remove();
        }
    }

    /** Refreshes an entry's expiry and moves it to the young end. */
    private void touch(StickEntry e, long now) {
        e.expiresAt = deadline(now);
        entries.remove(e.key);
        entries.put(e.key, e);
    }

    private boolean expired(StickEntry e, long now) {
        return e.expiresAt != Long.MAX_VALUE && now - e.expiresAt >= 0;
    }

    private long deadline(long now) {
        return expireNanos == Long.MAX_VALUE ? Long.MAX_VALUE : now + expireNanos;
    }
}
