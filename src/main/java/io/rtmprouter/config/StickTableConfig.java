package io.rtmprouter.config;

import java.time.Duration;
import java.util.Map;

/**
 * `stick-table type ip|ipv4|ipv6 size N expire T [nopurge] [store ...]`; a null expire never
 * expires.
 *
 * @param stores what each entry keeps, with the period of each rate (zero for the others)
 */
public record StickTableConfig(KeyType type, long size, Duration expire, boolean nopurge,
                               Map<StickData, Duration> stores) {
    public enum KeyType { IPV4, IPV6 }

    public StickTableConfig {
        stores = Map.copyOf(stores);
    }

    public StickTableConfig(KeyType type, long size, Duration expire, boolean nopurge) {
        this(type, size, expire, nopurge, Map.of());
    }

    public boolean stores(StickData data) {
        return stores.containsKey(data);
    }

    /** The period of a stored rate, in milliseconds. */
    public long periodMillis(StickData data) {
        return stores.get(data).toMillis();
    }
}
