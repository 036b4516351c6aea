package io.rtmprouter.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the configuration files said, checked and resolved; warnings are for the operator.
 *
 * @param stickTables every proxy's `stick-table`, by proxy name: rules of any proxy may name any of them
 * @param resolvers   the `resolvers` sections, by name
 */
public record RouterConfig(GlobalConfig global, List<FrontendConfig> frontends,
                           Map<String, BackendConfig> backends, Map<String, StickTableConfig> stickTables,
                           Map<String, ResolversConfig> resolvers, List<String> warnings) {
    public RouterConfig {
        frontends = List.copyOf(frontends);
        backends = Collections.unmodifiableMap(new LinkedHashMap<>(backends));
        stickTables = Map.copyOf(stickTables);
        resolvers = Collections.unmodifiableMap(new LinkedHashMap<>(resolvers));
        warnings = List.copyOf(warnings);
    }
}
