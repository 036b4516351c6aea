package io.rtmprouter.stick;

import io.rtmprouter.config.StickTableConfig;

import java.util.HashMap;
import java.util.Map;

/** Every stick table of the running configuration, by the name of the proxy that declares it. */
public final class StickTables {
    public static final StickTables NONE = new StickTables(Map.of(), MonotonicClock.SYSTEM);
    private final Map<String, StickTable> tables;

    public StickTables(Map<String, StickTableConfig> configs, MonotonicClock clock) {
        Map<String, StickTable> t = new HashMap<>();
        configs.forEach((name, config) -> t.put(name, new StickTable(name, config, clock)));
        this.tables = Map.copyOf(t);
    }

    /** The table of that name; the configuration was checked, so it exists. */
    public StickTable get(String name) {
        StickTable t = tables.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no stick table '" + name + "'");
        }
        return t;
    }

    /** Every table, by name in alphabetical order (`show table`). */
    public java.util.List<StickTable> all() {
        return tables.values().stream().sorted(java.util.Comparator.comparing(StickTable::name)).toList();
    }

    /** The table of that name, or null. */
    public StickTable find(String name) {
        return tables.get(name);
    }
}
