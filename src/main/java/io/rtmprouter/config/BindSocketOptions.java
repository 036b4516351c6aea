package io.rtmprouter.config;

/**
 * A bind's socket options, as HAProxy sets them on its listening socket (Linux only).
 *
 * @param v6only      `v6only` (true) or `v4v6` (false) on an IPv6 address; null: the system's default
 * @param transparent `transparent`: accept connections to addresses not of this host (IP_TRANSPARENT)
 * @param deferAccept `defer-accept`: wake up on a connection only once its first data arrive
 * @param fastOpen    `tfo`: accept TCP Fast Open data in the SYN
 * @param device      `interface NAME`: accept only through that network interface; null for any
 */
public record BindSocketOptions(Boolean v6only, boolean transparent, boolean deferAccept, boolean fastOpen,
                                String device) {
    public static final BindSocketOptions NONE = new BindSocketOptions(null, false, false, false, null);

    /** Whether any option needs the epoll transport (Linux). */
    public boolean any() {
        return !equals(NONE);
    }
}
