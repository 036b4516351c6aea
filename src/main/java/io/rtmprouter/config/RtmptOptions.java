package io.rtmprouter.config;

/**
 * A frontend's `rtmpt` settings (rtmp-router's own keyword; HAProxy tunnels no RTMPT).
 *
 * @param maxSessionsPerSource at most this many RTMPT sessions open at once from one client
 *                             address; 0 = the default, {@link #perSource}
 * @param anySource            a session's requests may come from any address, not only the one
 *                             that opened it (for clients behind proxies that spread their
 *                             connections over several addresses)
 */
public record RtmptOptions(int maxSessionsPerSource, boolean anySource) {
    public static final RtmptOptions DEFAULT = new RtmptOptions(0, false);

    /**
     * The cap per address for a frontend of `maxSessions`: as set, else a tenth of it and at
     * least 10 (a household or an office behind one NAT address still gets its players in),
     * never above the frontend's own cap.
     */
    public int perSource(int maxSessions) {
        int n = maxSessionsPerSource > 0 ? maxSessionsPerSource : Math.max(10, maxSessions / 10);
        return Math.min(n, maxSessions);
    }
}
