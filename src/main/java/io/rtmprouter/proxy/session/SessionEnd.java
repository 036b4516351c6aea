package io.rtmprouter.proxy.session;

import java.util.function.Consumer;

/**
 * The one place a session is over: what it holds until then is given back (its server's slot)
 * and its line is logged, once. Created with the session; whoever has the session last calls
 * {@link #finish}: the relay when both channels have closed, or the stage a session that never
 * reached a relay ended in. Confined to the client channel's event loop.
 */
public final class SessionEnd {
    private static final Runnable NOTHING = () -> { };
    private final Session session;
    private final Consumer<Session> log;
    private Runnable release = NOTHING;
    private boolean finished;

    SessionEnd(Session session, Consumer<Session> log) {
        this.session = session;
        this.log = log;
    }

    /** From now on the session holds what `release` gives back when it is over. */
    public void holds(Runnable release) {
        this.release = release;
    }

    /** Gives back what the session holds and logs its line; later calls do nothing. */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        session.releaseCounters();
        release.run();
        release = NOTHING;
        log.accept(session);
    }

    public boolean finished() {
        return finished;
    }
}
