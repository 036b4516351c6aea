package io.rtmprouter.config;

/** The wording of configuration warnings, kept in one place so they read alike. */
final class Warnings {
    private Warnings() {
    }

    static String ignored(SourceLocation where, String what) {
        return "[WARNING] " + where + ": " + what + " is not implemented by rtmp-router and is ignored";
    }

    static String of(SourceLocation where, String message) {
        return "[WARNING] " + where + ": " + message;
    }
}
