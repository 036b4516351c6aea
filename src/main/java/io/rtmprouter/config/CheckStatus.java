package io.rtmprouter.config;

/**
 * HAProxy's check statuses: what a check's result is called in its DOWN/UP messages, and
 * whether it passes. `ok-status`, `error-status` and `tout-status` of an expect name one.
 */
public enum CheckStatus {
    /** `observe`: real connections failed `error-limit` times in a row. */
    HANA("Health analyze", false),
    /** An I/O error once connected, before anything could be judged. */
    SOCKERR("Socket error", false),
    L4OK("Layer4 check passed", true),
    L4TOUT("Layer4 timeout", false),
    L4CON("Layer4 connection problem", false),
    L6OK("Layer6 check passed", true),
    L6TOUT("Layer6 timeout", false),
    L6RSP("Layer6 invalid response", false),
    L7OK("Layer7 check passed", true),
    L7OKC("Layer7 check conditionally passed", true),
    L7TOUT("Layer7 timeout", false),
    L7RSP("Layer7 invalid response", false),
    L7STS("Layer7 wrong status", false);

    private final String reason;
    private final boolean passed;

    CheckStatus(String reason, boolean passed) {
        this.reason = reason;
        this.passed = passed;
    }

    public String reason() {
        return reason;
    }

    public boolean passed() {
        return passed;
    }

    /** Whether a layer 5-7 answer was read, so that HAProxy's message shows its code. */
    public boolean hasCode() {
        return this == L7OK || this == L7OKC || this == L7STS;
    }
}
