package io.rtmprouter.bench;

import io.rtmprouter.config.Values;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What `rtmp-router bench` is asked to do.
 *
 * @param rate        new sessions per second at most; 0 for as fast as concurrency allows
 * @param hold        how long a session stays once set up (connect answered in idle mode, first
 *                    media in play mode); zero in play mode means until the stream ends
 * @param sources     client addresses, used in turn
 * @param warmup      sessions run first and left out of the report: the JIT of this JVM (and of a
 *                    Java server under test) is still compiling during the first hundreds
 */
public record BenchOptions(RtmpUrl url, Mode mode, int sessions, int concurrency, double rate, Duration hold,
                           Duration timeout, List<InetAddress> sources, int warmup, boolean json) {
    public enum Mode { PLAY, IDLE }

    static final String USAGE = """
            usage: rtmp-router bench --url rtmp://HOST[:PORT]/APP/STREAM [options]
              --mode play|idle       play the stream (default), or only connect and hold
              --sessions N           sessions to open (default 10)
              --concurrency N        open at once at most (default: all of them)
              --rate N               new sessions per second at most (default 0: no limit)
              --hold DURATION        how long each session stays once set up (default 10s;
                                     play: 0 = until the stream ends)
              --timeout DURATION     limit on each setup step and on silence (default 10s)
              --source A[-B]         client addresses, e.g. 127.0.70.1-127.0.70.250 (default: the system's)
              --warmup N             sessions run first, the same way, and left out of the report
              --json                 one JSON object on stdout instead of the table
            """;

    public static BenchOptions parse(List<String> args) {
        RtmpUrl url = null;
        Mode mode = Mode.PLAY;
        int sessions = 10;
        int concurrency = -1;
        double rate = 0;
        Duration hold = Duration.ofSeconds(10);
        Duration timeout = Duration.ofSeconds(10);
        List<InetAddress> sources = List.of();
        boolean json = false;
        int warmup = 0;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--url" -> url = RtmpUrl.parse(value(args, ++i, a));
                case "--mode" -> mode = switch (value(args, ++i, a)) {
                    case "play" -> Mode.PLAY;
                    case "idle" -> Mode.IDLE;
                    default -> throw new IllegalArgumentException("--mode is play or idle, not '" + args.get(i) + "'");
                };
                case "--sessions" -> sessions = wholeNumber(value(args, ++i, a), a, 1);
                case "--concurrency" -> concurrency = wholeNumber(value(args, ++i, a), a, 1);
                case "--rate" -> rate = nonNegative(value(args, ++i, a), a);
                case "--hold" -> hold = duration(value(args, ++i, a), a);
                case "--timeout" -> timeout = duration(value(args, ++i, a), a);
                case "--source" -> sources = addresses(value(args, ++i, a));
                case "--warmup" -> warmup = wholeNumber(value(args, ++i, a), a, 0);
                case "--json" -> json = true;
                default -> throw new IllegalArgumentException("unknown bench option '" + a + "'");
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("--url is required");
        }
        if (timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be above zero");
        }
        if (mode == Mode.IDLE && hold.isZero()) {
            throw new IllegalArgumentException("--mode idle needs a --hold above zero");
        }
        return new BenchOptions(url, mode, sessions, concurrency < 0 ? sessions : concurrency, rate, hold, timeout,
                sources, warmup, json);
    }

    /** The same sessions, as many as the warm-up asks for. */
    BenchOptions warmingUp() {
        return new BenchOptions(url, mode, warmup, Math.min(concurrency, warmup), rate, hold, timeout, sources, 0, json);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int wholeNumber(String v, String option, int min) {
        try {
            int n = Integer.parseInt(v);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " takes a whole number " + (min == 0 ? "of zero or more" : "above zero")
                + ", not '" + v + "'");
    }

    private static double nonNegative(String v, String option) {
        try {
            double d = Double.parseDouble(v);
            if (d >= 0 && Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " takes a number of zero or more, not '" + v + "'");
    }

    private static Duration duration(String v, String option) {
        try {
            return Values.duration(v, null, option);
        } catch (Exception e) {
            throw new IllegalArgumentException(option + " takes a duration such as 500ms, 10s or 2m, not '" + v + "'");
        }
    }

    /** A single address, or a range of IPv4 addresses A-B (inclusive). */
    static List<InetAddress> addresses(String spec) {
        try {
            int dash = spec.indexOf('-');
            if (dash < 0) {
                return List.of(InetAddress.getByName(spec));
            }
            long from = ipv4(spec.substring(0, dash));
            long to = ipv4(spec.substring(dash + 1));
            if (to < from || to - from >= 65536) {
                throw new IllegalArgumentException("--source range " + spec + " is empty or wider than 65536 addresses");
            }
            List<InetAddress> out = new ArrayList<>();
            for (long a = from; a <= to; a++) {
                out.add(InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a}));
            }
            return List.copyOf(out);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--source '" + spec + "': " + e.getMessage());
        }
    }

    private static long ipv4(String s) throws UnknownHostException {
        byte[] b = InetAddress.getByName(s).getAddress();
        if (b.length != 4) {
            throw new IllegalArgumentException("--source ranges are IPv4 only, not '" + s + "'");
        }
        return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
    }
}
