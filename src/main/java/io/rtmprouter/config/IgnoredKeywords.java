package io.rtmprouter.config;

import java.util.Map;
import java.util.Set;

/**
 * The words of keywords that are accepted with a warning and change nothing on the wire: they
 * are not applied, but their words are still checked, so that a word too many is refused as it
 * is for every other keyword. Each takes a fixed number of words, or {@link #REST} (free text or a
 * syntax of its own that rtmp-router does not read).
 */
final class IgnoredKeywords {
    /** Takes every word after it. */
    static final int REST = -1;

    static final Map<String, Integer> GLOBAL = Map.ofEntries(
            Map.entry("log-send-hostname", REST),
            Map.entry("user", 1), Map.entry("group", 1), Map.entry("uid", 1), Map.entry("gid", 1),
            Map.entry("chroot", 1), Map.entry("daemon", 0), Map.entry("pidfile", 1),
            Map.entry("ca-base", 1), Map.entry("cpu-map", REST), Map.entry("master-worker", REST),
            Map.entry("description", REST), Map.entry("node", 1), Map.entry("quiet", 0), Map.entry("spread-checks", 1),
            Map.entry("max-spread-checks", 1), Map.entry("ssl-server-verify", 1), Map.entry("unix-bind", REST),
            Map.entry("hard-stop-after", 1), Map.entry("tune.bufsize", 1), Map.entry("tune.maxrewrite", 1),
            Map.entry("ssl-default-bind-ciphers", 1), Map.entry("ssl-default-bind-ciphersuites", 1),
            Map.entry("ssl-default-bind-options", REST), Map.entry("ssl-default-bind-curves", 1),
            Map.entry("ssl-default-server-ciphers", 1), Map.entry("ssl-default-server-ciphersuites", 1),
            Map.entry("ssl-default-server-options", REST), Map.entry("tune.ssl.default-dh-param", 1),
            Map.entry("server-state-file", 1), Map.entry("server-state-base", 1), Map.entry("lua-load", REST),
            Map.entry("localpeer", 1), Map.entry("noepoll", 0), Map.entry("nopoll", 0),
            Map.entry("expose-experimental-directives", 0), Map.entry("insecure-fork-wanted", 0),
            Map.entry("insecure-setuid-wanted", 0), Map.entry("set-dumpable", 0));

    /** Proxy keywords of logging, the stats page, mail, and HTTP-only ones HAProxy ignores in TCP mode. */
    static final Map<String, Integer> PROXY = Map.ofEntries(
            Map.entry("log-format", REST), Map.entry("log-format-sd", REST),
            Map.entry("error-log-format", REST), Map.entry("description", REST),
            Map.entry("id", 1), Map.entry("stats", REST), Map.entry("errorfile", 2), Map.entry("errorfiles", REST),
            Map.entry("errorloc", 2), Map.entry("errorloc302", 2), Map.entry("errorloc303", 2),
            Map.entry("http-error", REST), Map.entry("capture", REST), Map.entry("declare", REST),
            Map.entry("monitor-uri", 1), Map.entry("monitor", REST), Map.entry("unique-id-format", REST),
            Map.entry("unique-id-header", 1), Map.entry("fullconn", 1), Map.entry("email-alert", REST),
            Map.entry("compression", REST), Map.entry("cookie", REST), Map.entry("http-request", REST),
            Map.entry("http-response", REST), Map.entry("http-after-response", REST), Map.entry("http-reuse", 1),
            Map.entry("http-send-name-header", REST), Map.entry("max-keep-alive-queue", 1),
            Map.entry("bind-process", REST), Map.entry("server-state-file-name", REST));

    private IgnoredKeywords() {
    }

    /** Takes the words `kw` takes, by `arities`; a missing one is an error, extra ones are left unread. */
    static void take(LineWords w, Map<String, Integer> arities, SourceLocation where) throws ConfigException {
        int n = arities.get(w.get(0));
        if (n == REST) {
            w.readAll();
        } else {
            for (int i = 1; i <= n; i++) {
                ProxyKeywords.arg(w, i, where);
            }
        }
    }
}
