package io.rtmprouter.proxy;

/** The router cannot start as configured (bind failure, missing privilege, unresolvable server). */
public final class StartupException extends Exception {
    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
