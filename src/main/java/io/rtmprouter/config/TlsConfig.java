package io.rtmprouter.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * `ssl crt PATH [crt PATH...] [ssl-min-ver V] [ssl-max-ver V]` on a bind. Certificates are in the
 * order written, with `crt-base` already applied; the first one loaded is the default. Only the
 * names are known here: the files are read when the router starts (or by `-c`).
 */
public record TlsConfig(List<Path> certificates, TlsVersion minVersion, TlsVersion maxVersion) {
    public TlsConfig {
        certificates = List.copyOf(certificates);
        Objects.requireNonNull(minVersion, "minVersion");
        Objects.requireNonNull(maxVersion, "maxVersion");
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("a TLS bind needs at least one certificate");
        }
        if (minVersion.compareTo(maxVersion) > 0) {
            throw new IllegalArgumentException(minVersion + " is above " + maxVersion);
        }
    }

    /** The JDK protocol names from minVersion to maxVersion, oldest first. */
    public List<String> protocols() {
        List<String> out = new ArrayList<>();
        for (TlsVersion v : TlsVersion.values()) {
            if (v.compareTo(minVersion) >= 0 && v.compareTo(maxVersion) <= 0) {
                out.add(v.keyword());
            }
        }
        return out;
    }
}
