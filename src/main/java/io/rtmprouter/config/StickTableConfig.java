package io.rtmprouter.config;

import java.time.Duration;

/** `stick-table type ip|ipv4|ipv6 size N expire T [nopurge]`; a null expire never expires. */
public record StickTableConfig(KeyType type, long size, Duration expire, boolean nopurge) {
    public enum KeyType { IPV4, IPV6 }
}
