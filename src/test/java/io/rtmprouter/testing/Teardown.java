package io.rtmprouter.testing;

/** Ends what a scenario started, in the order given, skipping what never started. */
public final class Teardown {
    private Teardown() {
    }

    /** Closes each non-null resource; the first failure is rethrown once all were tried. */
    public static void closeAll(AutoCloseable... resources) throws Exception {
        Exception first = null;
        for (AutoCloseable r : resources) {
            if (r == null) {
                continue;
            }
            try {
                r.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
