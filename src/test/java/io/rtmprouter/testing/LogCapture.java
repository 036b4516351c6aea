package io.rtmprouter.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Collects what the router logs on the given loggers ("session", "health"), for assertions. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<String> lines = new ArrayList<>();
    private final List<Logger> loggers = new ArrayList<>();

    public LogCapture(String... loggerNames) {
        setName("capture");
        start();
        for (String n : loggerNames) {
            Logger l = (Logger) LoggerFactory.getLogger(n);
            l.addAppender(this);
            loggers.add(l);
        }
    }

    @Override
    protected synchronized void append(ILoggingEvent e) {
        lines.add(e.getFormattedMessage());
    }

    public synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    public List<String> matching(Predicate<String> p) {
        return lines().stream().filter(p).toList();
    }

    /** Waits up to `millis` for a line containing every fragment. */
    public String await(long millis, String... fragments) {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            for (String l : lines()) {
                if (java.util.Arrays.stream(fragments).allMatch(l::contains)) {
                    return l;
                }
            }
            OriginFarm.sleep(20);
        }
        throw new AssertionError("no log line with " + List.of(fragments) + " within " + millis + " ms; got:\n"
                + String.join("\n", lines()));
    }

    @Override
    public void close() {
        loggers.forEach(l -> l.detachAppender(this));
        stop();
    }
}
