package io.rtmprouter.stick;

/** Monotonic time in nanoseconds; tests substitute a clock they move by hand. */
@FunctionalInterface
public interface MonotonicClock {
    MonotonicClock SYSTEM = System::nanoTime;

    long nanoTime();
}
