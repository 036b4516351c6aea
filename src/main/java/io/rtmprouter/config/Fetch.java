package io.rtmprouter.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A sample fetch an ACL can test: the client's address, or what was read from the RTMP connect. */
public enum Fetch {
    SRC("src", false),
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
        return Arrays.stream(values()).filter(f -> f.keyword.equals(keyword)).findFirst();
    }

    static List<String> keywords() {
        return Arrays.stream(values()).map(Fetch::keyword).toList();
    }
}
