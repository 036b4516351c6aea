package io.rtmprouter.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LibraryWarningLimitTest {
    private final LoggerContext context = new LoggerContext();
    private final Logger netty = context.getLogger("io.netty.channel.DefaultChannelPipeline");
    private final Logger sessions = context.getLogger("session");
    private final AtomicLong now = new AtomicLong();
    private final LibraryWarningLimit limit = new LibraryWarningLimit(now::get);

    private FilterReply warn(Logger l) {
        return limit.decide(null, l, Level.WARN, "An exceptionCaught() event was fired", null, null);
    }

    @Test
    void twentyNettyWarningsAMinutePassAndTheRestAreCounted() {
        for (int i = 0; i < LibraryWarningLimit.PER_MINUTE; i++) {
            assertEquals(FilterReply.NEUTRAL, warn(netty), "warning " + (i + 1));
        }
        for (int i = 0; i < 1000; i++) {
            assertEquals(FilterReply.DENY, warn(netty));
        }
        assertEquals(1000, limit.dropped());
        now.addAndGet(60_000_000_000L);
        assertEquals(FilterReply.NEUTRAL, warn(netty), "a new minute");
        assertEquals(0, limit.dropped(), "the dropped ones were reported with it");
    }

    @Test
    void theRoutersOwnLinesAreNeverLimited() {
        for (int i = 0; i < 1000; i++) {
            assertEquals(FilterReply.NEUTRAL, limit.decide(null, sessions, Level.INFO, "event=end ...", null, null));
            assertEquals(FilterReply.NEUTRAL, limit.decide(null, sessions, Level.WARN, "{}", null, null));
        }
    }
}
