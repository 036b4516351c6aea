package io.rtmprouter.config;

/** `hash-type`: how a hash is mapped onto servers. */
public enum HashType {
    /** hash modulo the total weight of the usable servers; moves most clients when a server changes. */
    MAP_BASED,
    /** a ring of points per server; only the clients of a changed server move. */
    CONSISTENT
}
