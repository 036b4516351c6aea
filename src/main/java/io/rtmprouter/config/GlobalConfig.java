package io.rtmprouter.config;

/**
 * The `global` section. maxconn 0 means "derive from the file descriptor limit"; nbthread 0 means
 * one event loop thread per core; splice false is `nosplice`; maxpipes 0 means maxconn / 4, as in
 * HAProxy (a spliced direction holds one pipe until its session ends); reusePort false is
 * `noreuseport` (one listener per bind, one accepting thread).
 */
public record GlobalConfig(int maxconn, int nbthread, boolean splice, int maxpipes, boolean reusePort) {
}
