package io.rtmprouter.proxy;

import io.rtmprouter.config.FrontendConfig;
import io.rtmprouter.stats.TrafficCounters;

/**
 * What `show stat` reads of a running frontend: its configuration, its counters, and the number
 * of sessions it takes at most (its `maxconn`, else the process's: HAProxy's slim).
 */
public record FrontendStats(FrontendConfig config, TrafficCounters traffic, int maxconn) {
    public String name() {
        return config.name();
    }
}
