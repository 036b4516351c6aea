package io.rtmprouter.config;

/** A session as `tcp-request` rules see it: what they test, and the stick counters they act on. */
public interface RuleTarget extends FetchedValues {
    /** `track-scN src table T`: a counter already tracked stays as it is, as in HAProxy. */
    void track(int counter, String table);

    /** `sc-inc-gpc0(N)` / `sc-inc-gpc1(N)`; nothing when counter N is not tracked. */
    void incrementGpc(int counter, int which);

    /** `sc-set-gpt0(N) V`; nothing when counter N is not tracked. */
    void setGpt0(int counter, long value);

    /** `tcp-request connection expect-proxy layer4`: a PROXY header comes first on this connection. */
    void expectProxyHeader();
}
