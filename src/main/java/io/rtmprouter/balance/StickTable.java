package io.rtmprouter.balance;

import io.rtmprouter.config.StickTableConfig;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded map from client address to server name. An entry expires `expire` after it was last
 * created, refreshed or matched; when the table is full the entry unused for longest is purged
 * (or, with nopurge, the new key is not stored). Shared by backends that name it with `table`,
 * so it locks on its own.
 */
public final class StickTable {
    private record Entry(String server, long expiresAt) {
    }

    private final StickTableConfig config;
    private final MonotonicClock clock;
    private final long expireNanos;
    /** Access order: the eldest entry is the one least recently used. */
    private final LinkedHashMap<ByteBuffer, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    public StickTable(StickTableConfig config, MonotonicClock clock) {
        this.config = config;
        this.clock = clock;
        this.expireNanos = config.expire() == null ? Long.MAX_VALUE : config.expire().toNanos();
    }

    /** The server stored for this client, refreshing the entry, or null. */
    public synchronized String match(byte[] key) {
        ByteBuffer k = ByteBuffer.wrap(key);
        Entry e = entries.get(k);
        if (e == null) {
            return null;
        }
        long now = clock.nanoTime();
        if (expired(e, now)) {
            entries.remove(k);
            return null;
        }
        entries.put(k, new Entry(e.server(), deadline(now)));
        return e.server();
    }

    /** Stores or overwrites this client's server. Returns false when nopurge kept a full table. */
    public synchronized boolean store(byte[] key, String server) {
        ByteBuffer k = ByteBuffer.wrap(key.clone());
        long now = clock.nanoTime();
        if (!entries.containsKey(k) && entries.size() >= config.size()) {
            purgeExpired(now);
            if (entries.size() >= config.size()) {
                if (config.nopurge()) {
                    return false;
                }
                Iterator<ByteBuffer> eldest = entries.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
        }
        entries.put(k, new Entry(server, deadline(now)));
        return true;
    }

    public synchronized int size() {
        purgeExpired(clock.nanoTime());
        return entries.size();
    }

    public StickTableConfig config() {
        return config;
    }

    private void purgeExpired(long now) {
        // Refreshes move entries to the tail, so expired ones gather at the head.
        Iterator<Map.Entry<ByteBuffer, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            if (!expired(it.next().getValue(), now)) {
                break;
            }
            it.remove();
        }
    }

    private boolean expired(Entry e, long now) {
        return e.expiresAt() != Long.MAX_VALUE && now - e.expiresAt() >= 0;
    }

    private long deadline(long now) {
        return expireNanos == Long.MAX_VALUE ? Long.MAX_VALUE : now + expireNanos;
    }
}
