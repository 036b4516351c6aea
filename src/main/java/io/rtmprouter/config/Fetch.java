package io.rtmprouter.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A sample fetch an ACL can test: the client's address, a stick counter (the {@link CounterFetch}
 * says which), or what was read from the RTMP connect.
 */
public enum Fetch {
    SRC("src", false),
    STICK_COUNTER("sc*_/src_* counter", false),
    RTMP_PROTO("rtmp.proto", true),
    RTMP_ROLE("rtmp.role", true),
    RTMP_APP("rtmp.app", true),
    RTMP_TCURL("rtmp.tcurl", true),
    RTMP_FLASHVER("rtmp.flashver", true),
    RTMP_SWFURL("rtmp.swfurl", true),
    RTMP_PAGEURL("rtmp.pageurl", true);

    private final String keyword;
    private final boolean needsRtmp;

    Fetch(String keyword, boolean needsRtmp) {
        this.keyword = keyword;
        this.needsRtmp = needsRtmp;
    }

    public String keyword() {
        return keyword;
    }

    /** Only a `mode rtmp` frontend reads the handshake and connect these fetches come from. */
    public boolean needsRtmp() {
        return needsRtmp;
    }

    static Optional<Fetch> named(String keyword) {
        return Arrays.stream(values()).filter(f -> f != STICK_COUNTER && f.keyword.equals(keyword)).findFirst();
    }

    /** The names an ACL can use, for suggestions. */
    static List<String> keywords() {
        List<String> out = new java.util.ArrayList<>(Arrays.stream(values()).filter(f -> f != STICK_COUNTER)
                .map(Fetch::keyword).toList());
        for (CounterFetch.Counter c : CounterFetch.Counter.values()) {
            String name = c.name().toLowerCase(java.util.Locale.ROOT);
            out.add("sc0_" + name);
            out.add("src_" + name);
        }
        return out;
    }
}
