package io.rtmprouter.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a stick-table entry can `store` besides the server, in HAProxy 2.6's words. */
public enum StickData {
    SERVER_ID("server_id", false),
    SERVER_KEY("server_key", false),
    SERVER_NAME("server_name", false),
    CONN_CNT("conn_cnt", false),
    CONN_CUR("conn_cur", false),
    CONN_RATE("conn_rate", true),
    SESS_CNT("sess_cnt", false),
    SESS_RATE("sess_rate", true),
    BYTES_IN_CNT("bytes_in_cnt", false),
    BYTES_IN_RATE("bytes_in_rate", true),
    BYTES_OUT_CNT("bytes_out_cnt", false),
    BYTES_OUT_RATE("bytes_out_rate", true),
    GPC0("gpc0", false),
    GPC0_RATE("gpc0_rate", true),
    GPC1("gpc1", false),
    GPC1_RATE("gpc1_rate", true),
    GPT0("gpt0", false);

    /** HAProxy's counters of HTTP requests and errors: a TCP proxy never counts one. */
    static final List<String> HTTP_ONLY = List.of("http_req_cnt", "http_req_rate", "http_err_cnt", "http_err_rate",
            "http_fail_cnt", "http_fail_rate");
    /** The array forms of 2.5+: one stored data type holding several counters. */
    static final List<String> ARRAYS = List.of("gpc", "gpc_rate", "gpt");

    private final String keyword;
    private final boolean rate;

    StickData(String keyword, boolean rate) {
        this.keyword = keyword;
        this.rate = rate;
    }

    public String keyword() {
        return keyword;
    }

    /** Whether it is counted over a period, written `name(period)`. */
    public boolean rate() {
        return rate;
    }

    static Optional<StickData> named(String keyword) {
        return Arrays.stream(values()).filter(d -> d.keyword.equals(keyword)).findFirst();
    }

    static List<String> keywords() {
        return Arrays.stream(values()).map(StickData::keyword).toList();
    }
}
