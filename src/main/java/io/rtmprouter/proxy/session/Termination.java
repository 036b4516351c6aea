package io.rtmprouter.proxy.session;

/** Why a session ended, as written in the `term` field of its log line. */
public enum Termination {
    /** The client closed first, after the server connection was made. */
    CLIENT_CLOSE("client_close"),
    SERVER_CLOSE("server_close"),
    CLIENT_TIMEOUT("client_timeout"),
    SERVER_TIMEOUT("server_timeout"),
    /** The client reset the connection (RST): how many players leave. */
    CLIENT_RESET("client_reset"),
    SERVER_RESET("server_reset"),
    CLIENT_ERROR("client_error"),
    SERVER_ERROR("server_error"),
    /** No server was UP, or the chosen server's queue was full. */
    NO_SERVER("no_server"),
    QUEUE_TIMEOUT("queue_timeout"),
    CONNECT_TIMEOUT("connect_timeout"),
    CONNECT_ERROR("connect_error"),
    /** The client left before a server connection was made. */
    CLIENT_ABORT("client_abort"),
    /** `tcp-request connection|content reject` refused the session. */
    REJECTED("rejected"),
    /** The client sent what is not RTMP, or a malformed or oversized start of session. */
    BAD_REQUEST("bad_request"),
    /** `tcp-request inspect-delay` passed before the handshake and connect were read. */
    INSPECT_TIMEOUT("inspect_timeout"),
    /** No `use_backend` rule matched and there is no `default_backend`. */
    NO_BACKEND("no_backend"),
    /** The router is stopping. */
    SHUTDOWN("shutdown"),
    /** Its server went DOWN and has `on-marked-down shutdown-sessions` (HAProxy's termination state D). */
    SERVER_DOWN("server_down"),
    /** It was on a backup server, and an active one with `on-marked-up shutdown-backup-sessions` came UP (U). */
    SERVER_UP("server_up"),
    INTERNAL_ERROR("internal_error");

    private final String text;

    Termination(String text) {
        this.text = text;
    }

    @Override
    public String toString() {
        return text;
    }
}
