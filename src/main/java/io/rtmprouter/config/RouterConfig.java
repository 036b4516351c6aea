package io.rtmprouter.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the configuration files said, checked and resolved; warnings are for the operator.
 *
 * @param stickTables every proxy's `stick-table`, by proxy name: rules of any proxy may name any of them
 */
public record RouterConfig(GlobalConfig global, List<FrontendConfig> frontends,
                           Map<String, BackendConfig> backends, Map<String, StickTableConfig> stickTables,
                           List<String> warnings) {
    public RouterConfig {
        frontends = List.copyOf(frontends);
        backends = Collections.unmodifiableMap(new LinkedHashMap<>(backends));
        stickTables = Map.copyOf(stickTables);
        warnings = List.copyOf(warnings);
    }
}
