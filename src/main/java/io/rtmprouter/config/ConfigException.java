package io.rtmprouter.config;

import java.util.List;

/** The configuration cannot be used; carries every error found, each prefixed with file:line. */
public final class ConfigException extends Exception {
    private final List<String> errors;

    public ConfigException(List<String> errors) {
        super(String.join("\n", errors));
        this.errors = List.copyOf(errors);
    }

    public ConfigException(SourceLocation where, String message) {
        this(List.of("[ALERT] " + where + ": " + message));
    }

    public List<String> errors() {
        return errors;
    }
}
