package io.rtmprouter.proxy.transport;

import io.netty.channel.unix.Errors;

import java.io.IOException;

/** What a socket's exception says about the peer: a reset is how many players leave, not an error. */
public final class SocketErrors {
    private SocketErrors() {
    }

    /** Whether the peer reset the connection (ECONNRESET), on the native transport or NIO. */
    public static boolean isReset(Throwable cause) {
        if (cause instanceof Errors.NativeIoException n) {
            return n.expectedErr() == Errors.ERRNO_ECONNRESET_NEGATIVE;
        }
        return cause instanceof IOException && cause.getMessage() != null
                && cause.getMessage().contains("Connection reset");
    }
}
