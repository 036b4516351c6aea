package io.rtmprouter.balance;

/** The hash of a client address used by `balance source`: stable across runs and machines. */
final class AddressHash {
    private AddressHash() {
    }

    static long of(byte[] key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** Murmur3's 64-bit finaliser: spreads FNV's weak low bits over the whole word. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
