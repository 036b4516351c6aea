package io.rtmprouter.health;

/** The outcome of one health check, worded as HAProxy words it. */
public record CheckResult(boolean passed, String reason, String info, long durationMillis) {
    static CheckResult passed(long durationMillis) {
        return new CheckResult(true, "Layer4 check passed", null, durationMillis);
    }

    static CheckResult connectionProblem(String info, long durationMillis) {
        return new CheckResult(false, "Layer4 connection problem", info, durationMillis);
    }

    static CheckResult timeout(long durationMillis) {
        return new CheckResult(false, "Layer4 timeout", null, durationMillis);
    }
}
