package io.rtmprouter.config;

/** Where a configuration line came from; every message about the configuration names one. */
public record SourceLocation(String file, int line) {
    @Override
    public String toString() {
        return file + ":" + line;
    }
}
