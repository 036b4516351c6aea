package io.rtmprouter.proxy;

import io.rtmprouter.config.ServerConfig;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A server's address at start-up, found as its `init-addr` says, in order: `last` (a server-state
 * file, which rtmp-router never loads, so it never answers), `libc` (the system resolver), an
 * address of its own, or `none`: no address, the server starts in maintenance.
 */
final class ServerAddresses {
    /** Looks a name up: the system's resolver, or a test's. */
    interface Resolver {
        InetAddress resolve(String host) throws UnknownHostException;
    }

    /**
     * What `init-addr` found.
     *
     * @param address   the address, or null for `none`
     * @param fellBack  whether an earlier method failed first: HAProxy then warns
     */
    record Found(InetSocketAddress address, boolean fellBack) {
    }

    private ServerAddresses() {
    }

    static Found of(ServerConfig s, Resolver resolver) throws StartupException {
        UnknownHostException failure = null;
        for (String method : s.initAddr()) {
            switch (method) {
                case "last" -> {
                    // No server-state file: the next method decides.
                }
                case "libc" -> {
                    try {
                        return new Found(new InetSocketAddress(resolver.resolve(s.host()), s.port()), false);
                    } catch (UnknownHostException e) {
                        failure = e;
                    }
                }
                case "none" -> {
                    return new Found(null, failure != null);
                }
                default -> {
                    try {
                        // a literal: no look-up
                        return new Found(new InetSocketAddress(InetAddress.getByName(method), s.port()), failure != null);
                    } catch (UnknownHostException e) {
                        throw new IllegalStateException("init-addr '" + method + "' was checked as an address", e);
                    }
                }
            }
        }
        throw new StartupException(s.where() + ": could not resolve address '" + s.host() + "' of server '"
                + s.name() + "'", failure);
    }
}
