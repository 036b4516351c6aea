package io.rtmprouter.proxy.relay;

import io.rtmprouter.proxy.session.Termination;

/** The two ends of a session, and how a session ends when that end does something. */
enum Side {
    CLIENT(Termination.CLIENT_CLOSE, Termination.CLIENT_TIMEOUT, Termination.CLIENT_RESET, Termination.CLIENT_ERROR),
    SERVER(Termination.SERVER_CLOSE, Termination.SERVER_TIMEOUT, Termination.SERVER_RESET, Termination.SERVER_ERROR);

    private final Termination closed;
    private final Termination timedOut;
    private final Termination reset;
    private final Termination failed;

    Side(Termination closed, Termination timedOut, Termination reset, Termination failed) {
        this.closed = closed;
        this.timedOut = timedOut;
        this.reset = reset;
        this.failed = failed;
    }

    /** This end closed (FIN or close) first. */
    Termination closed() {
        return closed;
    }

    /** This end was inactive for its timeout. */
    Termination timedOut() {
        return timedOut;
    }

    /** This end reset the connection (RST). */
    Termination reset() {
        return reset;
    }

    /** Another socket error on this end. */
    Termination failed() {
        return failed;
    }
}
