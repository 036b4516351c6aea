package io.rtmprouter.config;

/** The `balance` algorithms rtmp-router implements. */
public enum BalanceAlgorithm {
    ROUNDROBIN, LEASTCONN, SOURCE, FIRST;

    public String keyword() {
        return name().toLowerCase();
    }
}
