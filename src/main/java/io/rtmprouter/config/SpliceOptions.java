package io.rtmprouter.config;

/**
 * HAProxy's `option splice-request` (client to server), `option splice-response` (server to
 * client) and `option splice-auto` (both): which directions may be moved by the kernel. Off unless
 * set, in the frontend, the backend or their `defaults`; `global nosplice` turns all of it off.
 */
public record SpliceOptions(boolean request, boolean response) {
    public static final SpliceOptions NONE = new SpliceOptions(false, false);

    public SpliceOptions or(SpliceOptions other) {
        return new SpliceOptions(request || other.request, response || other.response);
    }
}
