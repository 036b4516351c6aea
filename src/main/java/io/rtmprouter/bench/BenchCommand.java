package io.rtmprouter.bench;

import java.io.PrintStream;
import java.util.List;

/** `rtmp-router bench ...`: runs the load generator and prints its report. */
public final class BenchCommand {
    public static final int OK = 0;
    public static final int SESSIONS_FAILED = 1;
    public static final int USAGE = 2;

    private BenchCommand() {
    }

    /** Exit status: 0 when every session succeeded, 1 when some failed, 2 for a usage error. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.contains("-h") || args.contains("--help")) {
            out.print(BenchOptions.USAGE);
            return OK;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("rtmp-router bench: " + e.getMessage());
            err.print(BenchOptions.USAGE);
            return USAGE;
        }
        BenchResults results;
        try {
            if (options.warmup() > 0) {
                err.println("bench: warming up with " + options.warmup() + " sessions");
                new LoadGenerator(options.warmingUp(), err).run();
            }
            results = new LoadGenerator(options, err).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("rtmp-router bench: interrupted");
            return SESSIONS_FAILED;
        }
        out.print(options.json() ? results.json() + System.lineSeparator() : results.table());
        out.flush();
        return results.ok() == options.sessions() ? OK : SESSIONS_FAILED;
    }
}
