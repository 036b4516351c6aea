package io.rtmprouter.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything the configuration files said, checked and resolved; warnings are for the operator. */
public record RouterConfig(GlobalConfig global, List<FrontendConfig> frontends,
                           Map<String, BackendConfig> backends, List<String> warnings) {
    public RouterConfig {
        frontends = List.copyOf(frontends);
        backends = Collections.unmodifiableMap(new LinkedHashMap<>(backends));
        warnings = List.copyOf(warnings);
    }
}
