package dev.sluice;

import java.util.Iterator;

/**
 * An iterator over a running pipeline. Pulling runs the pipeline just far enough to produce the next value, like
 * {@code next()} on a Python generator. Close it when you stop early, ideally with try-with-resources; it closes
 * itself when exhausted or when a stage fails, and as a last resort when it is garbage-collected.
 */
public interface CloseableIterator<T> extends Iterator<T>, AutoCloseable {
    /** Stops the run and closes its source; idempotent. */
    @Override
    void close();
}
