package io.rtmprouter.cli;

import java.io.PrintStream;

/** Lets tests of other packages run the command line in-process, with its output captured. */
public final class MainAccess {
    private MainAccess() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return Main.run(args, out, err);
    }
}
