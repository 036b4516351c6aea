package io.rtmprouter.config;

/**
 * HAProxy's `option splice-request` (client to server, always), `option splice-response` (server
 * to client, always) and `option splice-auto` (both directions, once a direction streams fast):
 * which directions may be moved by the kernel. Off unless set, in the frontend, the backend or
 * their `defaults`; `global nosplice` turns all of it off.
 */
public record SpliceOptions(boolean request, boolean response, boolean auto) {
    public static final SpliceOptions NONE = new SpliceOptions(false, false, false);

    /** When a direction is spliced. */
    public enum Mode {
        NEVER,
        /** Once its reads fill a buffer three passes in a row: HAProxy's "fast streamer". */
        WHEN_STREAMING,
        ALWAYS
    }

    public SpliceOptions or(SpliceOptions other) {
        return new SpliceOptions(request || other.request, response || other.response, auto || other.auto);
    }

    public Mode clientToServer() {
        return request ? Mode.ALWAYS : auto ? Mode.WHEN_STREAMING : Mode.NEVER;
    }

    public Mode serverToClient() {
        return response ? Mode.ALWAYS : auto ? Mode.WHEN_STREAMING : Mode.NEVER;
    }

    public boolean any() {
        return request || response || auto;
    }
}
