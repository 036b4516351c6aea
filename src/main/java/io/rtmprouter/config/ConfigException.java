package io.rtmprouter.config;

import java.util.List;

/** The configuration cannot be used; carries every error found, each prefixed with file:line. */
public final class ConfigException extends Exception {
    private final List<String> errors;
    private final List<String> warnings;
    private final List<String> messages;

    public ConfigException(List<String> errors) {
        this(errors, List.of(), errors);
    }

    /**
     * @param warnings what was found beside the errors, which `-c` prints with them as HAProxy does
     * @param messages both, in the order of the lines they are about
     */
    public ConfigException(List<String> errors, List<String> warnings, List<String> messages) {
        super(String.join("\n", errors));
        this.errors = List.copyOf(errors);
        this.warnings = List.copyOf(warnings);
        this.messages = List.copyOf(messages);
    }

    public ConfigException(SourceLocation where, String message) {
        this(List.of("[ALERT] " + where + ": " + message));
    }

    public List<String> errors() {
        return errors;
    }

    public List<String> warnings() {
        return warnings;
    }

    /** Errors and warnings in the order of the lines they are about. */
    public List<String> messages() {
        return messages;
    }
}
