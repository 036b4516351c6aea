package io.rtmprouter.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address pattern of an ACL on `src`: one address, or a network in CIDR or dotted-mask form. */
public final class Network {
    private final byte[] address;
    private final int prefixLength;

    Network(byte[] address, int prefixLength) {
        this.address = address.clone();
        this.prefixLength = prefixLength;
    }

    static Network parse(String text, SourceLocation where) throws ConfigException {
        String addr = text;
        String prefix = null;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            addr = text.substring(0, slash);
            prefix = text.substring(slash + 1);
        }
        byte[] bytes = literal(addr, text, where);
        int bits = bytes.length * 8;
        int length = bits;
        if (prefix != null) {
            length = prefix.contains(".") ? maskLength(literal(prefix, text, where), text, where)
                    : Values.integer(prefix, where, "prefix length of '" + text + "'", 0, bits);
        }
        return new Network(bytes, length);
    }

    private static byte[] literal(String addr, String text, SourceLocation where) throws ConfigException {
        boolean looksNumeric = !addr.isEmpty() && (addr.contains(":") || addr.chars().allMatch(c -> c == '.'
                || Character.isDigit(c)));
        if (looksNumeric) {
            try {
                // A literal: InetAddress does not look it up.
                return InetAddress.getByName(addr).getAddress();
            } catch (UnknownHostException e) {
                // reported below
            }
        }
        throw new ConfigException(where, "'" + text + "' is not an IPv4 or IPv6 address or network");
    }

    private static int maskLength(byte[] mask, String text, SourceLocation where) throws ConfigException {
        int length = 0;
        boolean ended = false;
        for (byte b : mask) {
            for (int bit = 7; bit >= 0; bit--) {
                boolean set = (b >> bit & 1) == 1;
                if (set && ended) {
                    throw new ConfigException(where, "'" + text + "' has a non-contiguous netmask");
                }
                if (set) {
                    length++;
                } else {
                    ended = true;
                }
            }
        }
        return length;
    }

    public boolean isIpv6() {
        return address.length == 16;
    }

    /** IPv4 patterns also match IPv4-mapped IPv6 clients, as HAProxy does. */
    public boolean contains(InetAddress candidate) {
        byte[] c = candidate.getAddress();
        if (c.length == 16 && address.length == 4 && isV4Mapped(c)) {
            c = java.util.Arrays.copyOfRange(c, 12, 16);
        }
        if (c.length != address.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (c[i] != address[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (c[full] & mask) == (address[full] & mask);
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Network n && n.prefixLength == prefixLength && java.util.Arrays.equals(n.address, address);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(address) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(address).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
