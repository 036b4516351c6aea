package io.rtmprouter.stick;

import io.rtmprouter.config.StickData;
import io.rtmprouter.config.StickTableConfig;

import java.nio.ByteBuffer;

/**
 * One key of a stick table and what the table stores for it: the server of `stick on`, and the
 * counters of `store`. Only the table reads or changes it, under its lock; sessions hold it as a
 * handle while they track it, which keeps it from being purged.
 */
public final class StickEntry {
    final ByteBuffer key;
    String server;
    long expiresAt;
    /** Sessions tracking it (HAProxy's ref_cnt): a tracked entry is never purged. */
    int trackers;
    long connCnt;
    long connCur;
    long sessCnt;
    long bytesIn;
    long bytesOut;
    long gpc0;
    long gpc1;
    long gpt0;
    /** The rates the table stores; null for those it does not. */
    final FreqCounter connRate;
    final FreqCounter sessRate;
    final FreqCounter bytesInRate;
    final FreqCounter bytesOutRate;
    final FreqCounter gpc0Rate;
    final FreqCounter gpc1Rate;

    StickEntry(ByteBuffer key, StickTableConfig config) {
        this.key = key;
        connRate = rate(config, StickData.CONN_RATE);
        sessRate = rate(config, StickData.SESS_RATE);
        bytesInRate = rate(config, StickData.BYTES_IN_RATE);
        bytesOutRate = rate(config, StickData.BYTES_OUT_RATE);
        gpc0Rate = rate(config, StickData.GPC0_RATE);
        gpc1Rate = rate(config, StickData.GPC1_RATE);
    }

    private static FreqCounter rate(StickTableConfig config, StickData data) {
        return config.stores(data) ? new FreqCounter() : null;
    }
}
