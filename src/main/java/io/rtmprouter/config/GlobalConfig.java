package io.rtmprouter.config;

/**
 * The `global` section. maxconn 0 means "derive from the file descriptor limit"; nbthread 0 means
 * one event loop thread per core.
 */
public record GlobalConfig(int maxconn, int nbthread) {
}
