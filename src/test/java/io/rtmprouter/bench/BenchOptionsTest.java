package io.rtmprouter.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BenchOptionsTest {
    @Test
    void anRtmpUrlSplitsIntoAppAndStreamAsClientsSplitIt() {
        RtmpUrl u = RtmpUrl.parse("rtmp://127.0.0.1:19503/vod/sub/test.flv");
        assertEquals(new RtmpUrl("127.0.0.1", 19503, "vod", "sub/test.flv"), u);
        assertEquals("rtmp://127.0.0.1:19503/vod", u.tcUrl());
        assertEquals(1935, RtmpUrl.parse("rtmp://localhost/live/x").port());
        for (String bad : List.of("http://h/a/b", "rtmp://h/app", "rtmp://h/app/", "rtmp:///a/b", "not a url")) {
            assertThrows(IllegalArgumentException.class, () -> RtmpUrl.parse(bad), bad);
        }
    }

    @Test
    void everyOptionIsReadAndDefaultsAreThoseTheUsageNames() {
        BenchOptions o = BenchOptions.parse(List.of("--url", "rtmp://h/vod/f", "--mode", "idle", "--sessions", "300",
                "--concurrency", "50", "--rate", "200", "--hold", "2s", "--timeout", "500ms",
                "--source", "127.0.70.254-127.0.71.1", "--warmup", "20", "--json"));
        assertEquals(BenchOptions.Mode.IDLE, o.mode());
        assertEquals(300, o.sessions());
        assertEquals(50, o.concurrency());
        assertEquals(200.0, o.rate());
        assertEquals(Duration.ofSeconds(2), o.hold());
        assertEquals(Duration.ofMillis(500), o.timeout());
        assertEquals(List.of("127.0.70.254", "127.0.70.255", "127.0.71.0", "127.0.71.1"),
                o.sources().stream().map(a -> a.getHostAddress()).toList());
        assertEquals(true, o.json());
        assertEquals(20, o.warmup());
        BenchOptions warming = o.warmingUp();
        assertEquals(List.of(20, 20, 0), List.of(warming.sessions(), warming.concurrency(), warming.warmup()),
                "the warm-up runs its sessions the same way, and has none of its own");

        BenchOptions d = BenchOptions.parse(List.of("--url", "rtmp://h/vod/f"));
        assertEquals(BenchOptions.Mode.PLAY, d.mode());
        assertEquals(10, d.sessions());
        assertEquals(10, d.concurrency(), "all at once unless limited");
        assertEquals(0.0, d.rate());
        assertEquals(Duration.ofSeconds(10), d.hold());
        assertEquals(List.of(), d.sources());
    }

    @Test
    void mistakesAreNamed() {
        assertEquals("--url is required", error());
        assertEquals("--sessions takes a whole number above zero, not '0'", error("--url", "rtmp://h/a/b", "--sessions", "0"));
        assertEquals("--mode is play or idle, not 'publish'", error("--url", "rtmp://h/a/b", "--mode", "publish"));
        assertEquals("--mode idle needs a --hold above zero", error("--url", "rtmp://h/a/b", "--mode", "idle", "--hold", "0s"));
        assertEquals("--hold takes a duration such as 500ms, 10s or 2m, not 'soon'",
                error("--url", "rtmp://h/a/b", "--hold", "soon"));
        assertEquals("unknown bench option '--sesions'", error("--url", "rtmp://h/a/b", "--sesions", "3"));
        assertEquals("--rate needs a value", error("--url", "rtmp://h/a/b", "--rate"));
        assertEquals("--source range 127.0.0.9-127.0.0.1 is empty or wider than 65536 addresses",
                error("--url", "rtmp://h/a/b", "--source", "127.0.0.9-127.0.0.1"));
    }

    private static String error(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of(args))).getMessage();
    }
}
