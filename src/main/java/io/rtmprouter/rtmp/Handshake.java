package io.rtmprouter.rtmp;

/** What the client-side and server-side handshakes share. */
public final class Handshake {
    /** C0/S0 of plain, unencrypted RTMP; 6 and 8 would ask for RTMPE, which the router does not speak. */
    public static final int VERSION = 3;
    /** C1, S1, C2 and S2 all have this length. */
    public static final int PACKET_SIZE = 1536;

    private Handshake() {
    }

    static void requirePacket(byte[] packet, String name) {
        if (packet.length != PACKET_SIZE) {
            throw new IllegalArgumentException(name + " must be " + PACKET_SIZE + " bytes, not " + packet.length);
        }
    }

    /** Peers only echo or log the time field, so the caller may pass any clock. */
    static void putTime(byte[] packet, int timeMillis) {
        packet[0] = (byte) (timeMillis >>> 24);
        packet[1] = (byte) (timeMillis >>> 16);
        packet[2] = (byte) (timeMillis >>> 8);
        packet[3] = (byte) timeMillis;
    }
}
