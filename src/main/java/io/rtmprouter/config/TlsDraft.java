package io.rtmprouter.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The TLS parameters of one bind line while it is read: `ssl`, `crt`, `ssl-min-ver`, `ssl-max-ver`. */
final class TlsDraft {
    static final Set<String> PARAMETERS = Set.of("ssl", "crt", "ssl-min-ver", "ssl-max-ver");
    private static final Set<String> OLD_VERSIONS = Set.of("SSLv3", "TLSv1.0", "TLSv1.1");

    private final Path crtBase;
    private boolean ssl;
    private String firstWithoutSsl;
    private final List<Path> certificates = new ArrayList<>();
    private TlsVersion min;
    private TlsVersion max;

    /** crtBase is the global `crt-base` in force, or null. */
    TlsDraft(Path crtBase) {
        this.crtBase = crtBase;
    }

    /** Reads the parameter at w[i] and its argument, if any; returns the index of the last word it used. */
    int read(List<String> w, int i, SourceLocation where) throws ConfigException {
        String param = w.get(i);
        switch (param) {
            case "ssl" -> ssl = true;
            case "crt" -> certificates.add(path(ProxyKeywords.arg(w, ++i, where), where));
            case "ssl-min-ver" -> min = version(param, ProxyKeywords.arg(w, ++i, where), where);
            case "ssl-max-ver" -> max = version(param, ProxyKeywords.arg(w, ++i, where), where);
            default -> throw new IllegalArgumentException(param);
        }
        if (!param.equals("ssl") && firstWithoutSsl == null) {
            firstWithoutSsl = param;
        }
        return i;
    }

    /** The bind's TLS configuration, or null for a plain bind; `address` is the bind's address as written. */
    TlsConfig build(String address, SourceLocation where) throws ConfigException {
        if (!ssl) {
            if (firstWithoutSsl != null) {
                // HAProxy loads such a certificate and never uses it; a forgotten 'ssl' is the likely mistake.
                throw new ConfigException(where, "bind parameter '" + firstWithoutSsl
                        + "' needs 'ssl' on the same bind line: without it the bind is plain TCP");
            }
            return null;
        }
        if (certificates.isEmpty()) {
            throw new ConfigException(where, "bind " + address + " has 'ssl' but no certificate ('crt')");
        }
        TlsVersion lowest = min != null ? min : TlsVersion.TLS_1_2;
        TlsVersion highest = max != null ? max : TlsVersion.TLS_1_3;
        if (lowest.compareTo(highest) > 0) {
            throw new ConfigException(where, "'ssl-min-ver " + lowest.keyword() + "' is above 'ssl-max-ver "
                    + highest.keyword() + "'");
        }
        return new TlsConfig(certificates, lowest, highest);
    }

    private Path path(String written, SourceLocation where) throws ConfigException {
        try {
            Path p = Path.of(written);
            // As in HAProxy: crt-base prefixes relative paths only; without it they are relative to the
            // working directory.
            return crtBase != null && !p.isAbsolute() ? crtBase.resolve(p) : p;
        } catch (InvalidPathException e) {
            throw new ConfigException(where, "invalid certificate path '" + written + "': " + e.getReason());
        }
    }

    private static TlsVersion version(String keyword, String value, SourceLocation where) throws ConfigException {
        for (TlsVersion v : TlsVersion.values()) {
            if (v.keyword().equals(value)) {
                return v;
            }
        }
        if (OLD_VERSIONS.contains(value)) {
            throw new ConfigException(where, "'" + keyword + " " + value
                    + "' is refused: rtmp-router speaks TLS 1.2 and 1.3 only");
        }
        List<String> known = List.of(TlsVersion.TLS_1_2.keyword(), TlsVersion.TLS_1_3.keyword());
        String hint = Suggestions.hint(value, known);
        throw new ConfigException(where, "unknown TLS version '" + value + "' for '" + keyword + "'"
                + (hint.isEmpty() ? " (supported: TLSv1.2, TLSv1.3)" : hint));
    }
}
