package io.rtmprouter.config;

import java.net.InetAddress;
import java.util.OptionalLong;

/** What a session has learned so far, as the ACL fetches see it. */
public interface FetchedValues {
    InetAddress source();

    /** The value of a string fetch, or null when the session has none (for example no swfUrl). */
    String text(Fetch fetch);

    /**
     * A stick counter's value, empty when the fetch fails (the counter is not tracked, or its table
     * does not store that data). `inc_`/`clr_` fetches change the entry as HAProxy's do.
     */
    OptionalLong counter(CounterFetch fetch);
}
