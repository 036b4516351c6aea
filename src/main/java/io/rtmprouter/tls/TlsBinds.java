package io.rtmprouter.tls;

import io.rtmprouter.config.BindConfig;
import io.rtmprouter.config.FrontendConfig;
import io.rtmprouter.config.SourceLocation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The certificates of every `ssl` bind line of a configuration, each line's files read once
 * (the ports of a range or address list share one line), and what could not be loaded. The
 * router starts from it; `-c` reports its errors.
 */
public record TlsBinds(Map<SourceLocation, ServerTls> byLine, List<CertificateLoadException> errors) {
    public TlsBinds {
        byLine = Map.copyOf(byLine);
        errors = List.copyOf(errors);
    }

    public static TlsBinds load(List<FrontendConfig> frontends) {
        Map<SourceLocation, ServerTls> byLine = new LinkedHashMap<>();
        List<CertificateLoadException> errors = new ArrayList<>();
        List<SourceLocation> tried = new ArrayList<>();
        for (FrontendConfig f : frontends) {
            for (BindConfig b : f.binds()) {
                if (b.tls() == null || tried.contains(b.where())) {
                    continue;
                }
                tried.add(b.where());
                try {
                    byLine.put(b.where(), ServerTls.load(b));
                } catch (CertificateLoadException e) {
                    errors.add(e);
                }
            }
        }
        return new TlsBinds(byLine, errors);
    }

    /** The bind's TLS side, or null for a bind without `ssl`. */
    public ServerTls of(BindConfig bind) {
        return bind.tls() == null ? null : byLine.get(bind.where());
    }
}
