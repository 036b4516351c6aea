package io.rtmprouter.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/** What a bench run measured, and its report as a table or as JSON. */
record BenchResults(BenchOptions options, List<SessionResult> sessions, long elapsedNanos) {

    /** Nearest-rank percentiles, in milliseconds, of the sessions that reached that point. */
    record Percentiles(int count, double p50, double p90, double p99, double max) {
        static Percentiles of(List<SessionResult> sessions, ToLongFunction<SessionResult> nanos) {
            long[] v = sessions.stream().mapToLong(nanos).filter(n -> n >= 0).sorted().toArray();
            if (v.length == 0) {
                return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            return new Percentiles(v.length, rank(v, 50), rank(v, 90), rank(v, 99), v[v.length - 1] / 1e6);
        }

        private static double rank(long[] sorted, int percent) {
            int i = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, i)] / 1e6;
        }
    }

    long ok() {
        return sessions.stream().filter(SessionResult::ok).count();
    }

    Map<String, Integer> failures() {
        Map<String, Integer> out = new TreeMap<>();
        sessions.stream().filter(s -> !s.ok()).forEach(s -> out.merge(s.failure(), 1, Integer::sum));
        return out;
    }

    long bytesIn() {
        return sessions.stream().mapToLong(SessionResult::bytesIn).sum();
    }

    double seconds() {
        return elapsedNanos / 1e9;
    }

    Percentiles connectResult() {
        return Percentiles.of(sessions, SessionResult::connectResultNs);
    }

    Percentiles firstMedia() {
        return Percentiles.of(sessions, SessionResult::firstMediaNs);
    }

    double megabitsPerSecond() {
        return bytesIn() * 8 / 1e6 / seconds();
    }

    double sessionsPerSecond() {
        return sessions.size() / seconds();
    }

    String table() {
        StringBuilder s = new StringBuilder();
        s.append(String.format("bench %s  mode=%s  sessions=%d concurrency=%d rate=%s hold=%s%n", options.url(),
                options.mode().name().toLowerCase(), options.sessions(), options.concurrency(),
                options.rate() > 0 ? options.rate() + "/s" : "unlimited", options.hold()));
        s.append(String.format("sessions      ok %d   failed %d%n", ok(), sessions.size() - ok()));
        s.append(String.format("setup (ms)    %8s %8s %8s %8s  (n)%n", "p50", "p90", "p99", "max"));
        row(s, "connect", connectResult());
        row(s, "first media", firstMedia());
        s.append(String.format("received      %.1f MB in %.1f s = %.1f Mbit/s%n", bytesIn() / 1e6, seconds(),
                megabitsPerSecond()));
        s.append(String.format("session rate  %.1f/s%n", sessionsPerSecond()));
        failures().forEach((reason, n) -> s.append(String.format("failed %5d  %s%n", n, reason)));
        return s.toString();
    }

    private static void row(StringBuilder s, String name, Percentiles p) {
        s.append(String.format("  %-11s %8.2f %8.2f %8.2f %8.2f  (%d)%n", name, p.p50(), p.p90(), p.p99(), p.max(), p.count()));
    }

    String json() {
        StringBuilder failures = new StringBuilder("{");
        failures().forEach((reason, n) -> failures.append(failures.length() > 1 ? "," : "").append(quote(reason))
                .append(':').append(n));
        failures.append('}');
        return "{\"url\":" + quote(options.url().toString())
                + ",\"mode\":" + quote(options.mode().name().toLowerCase())
                + ",\"sessions\":{\"requested\":" + options.sessions() + ",\"ok\":" + ok()
                + ",\"failed\":" + (sessions.size() - ok()) + ",\"failures\":" + failures + "}"
                + ",\"setup_ms\":{\"connect_result\":" + json(connectResult()) + ",\"first_media\":" + json(firstMedia()) + "}"
                + ",\"bytes_in\":" + bytesIn()
                + ",\"duration_s\":" + number(seconds())
                + ",\"throughput_mbps\":" + number(megabitsPerSecond())
                + ",\"sessions_per_s\":" + number(sessionsPerSecond()) + "}";
    }

    private static String json(Percentiles p) {
        return "{\"count\":" + p.count() + ",\"p50\":" + number(p.p50()) + ",\"p90\":" + number(p.p90())
                + ",\"p99\":" + number(p.p99()) + ",\"max\":" + number(p.max()) + "}";
    }

    private static String number(double d) {
        return Double.isFinite(d) ? String.format(java.util.Locale.ROOT, "%.3f", d) : "null";
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
