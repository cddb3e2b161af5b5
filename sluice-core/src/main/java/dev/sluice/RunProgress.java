package dev.sluice;

/** A live view of a running pipeline; safe to read from another thread (values may lag slightly). */
public interface RunProgress {
    /** Fraction of the source consumed, in [0, 1], or -1 if the source cannot tell (e.g. a generator). */
    double fraction();

    /** Records read from the source so far. */
    long recordsIn();

    /** Nanoseconds since the run started. */
    long elapsedNanos();
}
