package io.rtmprouter.config;

import java.net.InetAddress;

/** What a session has learned so far, as the ACL fetches see it. */
public interface FetchedValues {
    InetAddress source();

    /** The value of a string fetch, or null when the session has none (for example no swfUrl). */
    String text(Fetch fetch);
}
