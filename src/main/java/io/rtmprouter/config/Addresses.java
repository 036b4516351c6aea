package io.rtmprouter.config;

import java.util.ArrayList;
import java.util.List;

/** HAProxy's address syntax: `host:port`, `*:port`, `:port`, `[v6]:port`, `ipv4@`/`ipv6@` prefixes. */
final class Addresses {
    record HostPort(String host, int portFrom, int portTo) {
    }

    private Addresses() {
    }

    /** `bind` accepts comma-separated addresses and port ranges (`1935-1937`). */
    static List<HostPort> bindAddresses(String text, SourceLocation where) throws ConfigException {
        List<HostPort> out = new ArrayList<>();
        for (String one : text.split(",", -1)) {
            HostPort hp = parse(one, where, true);
            if (hp.portFrom() == 0) {
                throw new ConfigException(where, "bind address '" + one + "' has no port");
            }
            out.add(hp);
        }
        return out;
    }

    /** A server address; a missing port (0) means "the port the client connected to". */
    static HostPort serverAddress(String text, SourceLocation where) throws ConfigException {
        HostPort hp = parse(text, where, false);
        if (hp.host() == null) {
            throw new ConfigException(where, "server address '" + text + "' has no host");
        }
        return hp;
    }

    /** Whether the text is an IPv4 or IPv6 address itself, which needs no name resolution. */
    static boolean isIpLiteral(String text) {
        boolean looksNumeric = !text.isEmpty() && (text.contains(":") || text.chars().allMatch(c -> c == '.'
                || Character.isDigit(c)));
        if (!looksNumeric) {
            return false;
        }
        try {
            // A literal: InetAddress does not look it up.
            java.net.InetAddress.getByName(text);
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    static HostPort parse(String text, SourceLocation where, boolean ranges) throws ConfigException {
        String t = text;
        if (t.startsWith("ipv4@") || t.startsWith("ipv6@")) {
            t = t.substring(5);
        } else if (t.contains("@")) {
            throw new ConfigException(where, "address family in '" + text + "' is not supported (ipv4@ and ipv6@ are)");
        }
        String host;
        String port;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new ConfigException(where, "missing ']' in address '" + text + "'");
            }
            host = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new ConfigException(where, "unexpected '" + rest + "' after address in '" + text + "'");
            }
            port = rest.isEmpty() ? "" : rest.substring(1);
        } else {
            int colon = t.lastIndexOf(':');
            host = colon < 0 ? t : t.substring(0, colon);
            port = colon < 0 ? "" : t.substring(colon + 1);
        }
        if (host.isEmpty() || host.equals("*")) {
            host = null;
        }
        if (port.isEmpty()) {
            return new HostPort(host, 0, 0);
        }
        int dash = port.indexOf('-');
        if (dash > 0 && ranges) {
            int from = port(port.substring(0, dash), text, where);
            int to = port(port.substring(dash + 1), text, where);
            if (to < from) {
                throw new ConfigException(where, "port range '" + port + "' is reversed");
            }
            return new HostPort(host, from, to);
        }
        int p = port(port, text, where);
        return new HostPort(host, p, p);
    }

    private static int port(String s, String text, SourceLocation where) throws ConfigException {
        try {
            int p = Integer.parseInt(s);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the whole address
        }
        throw new ConfigException(where, "invalid port '" + s + "' in address '" + text + "' (1..65535)");
    }
}
