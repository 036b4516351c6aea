package io.rtmprouter.stick;

import io.rtmprouter.config.StickTableConfig;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** Turns a client address into a stick-table key of the table's type, as HAProxy converts them. */
public final class StickKeys {
    private StickKeys() {
    }

    /** The key, or null when the address cannot be stored in this type (IPv6 in an ipv4 table). */
    public static byte[] of(InetAddress address, StickTableConfig.KeyType type) {
        byte[] raw = address.getAddress();
        if (type == StickTableConfig.KeyType.IPV4) {
            if (address instanceof Inet4Address) {
                return raw;
            }
            return isV4Mapped(raw) ? java.util.Arrays.copyOfRange(raw, 12, 16) : null;
        }
        if (address instanceof Inet6Address) {
            return raw;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(raw, 0, mapped, 12, 4);
        return mapped;
    }

    private static boolean isV4Mapped(byte[] raw) {
        for (int i = 0; i < 10; i++) {
            if (raw[i] != 0) {
                return false;
            }
        }
        return raw[10] == (byte) 0xff && raw[11] == (byte) 0xff;
    }
}
