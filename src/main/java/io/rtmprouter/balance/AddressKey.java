package io.rtmprouter.balance;

import io.rtmprouter.stick.StickKeys;

import java.net.InetAddress;

/** The bytes of a client address that balancing hashes (IPv4-mapped IPv6 hashes as IPv4). */
final class AddressKey {
    private AddressKey() {
    }

    static byte[] of(InetAddress address) {
        byte[] v4 = StickKeys.of(address, io.rtmprouter.config.StickTableConfig.KeyType.IPV4);
        return v4 != null ? v4 : address.getAddress();
    }
}
