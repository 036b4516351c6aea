package io.rtmprouter.config;

import java.util.List;

/** HAProxy's `-m` pattern matching methods that apply to the fetches rtmp-router has. */
public enum MatchMethod {
    STR, BEG, END, SUB, REG, FOUND, IP, INT;

    public String keyword() {
        return name().toLowerCase();
    }

    static List<String> stringMethods() {
        return List.of("str", "beg", "end", "sub", "reg", "found");
    }
}
