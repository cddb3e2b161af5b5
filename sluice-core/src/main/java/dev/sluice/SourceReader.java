package dev.sluice;

/**
 * One run's open view of a {@link Source}: a pull-based cursor over records. Closed exactly once by the runner.
 */
public interface SourceReader<T> extends AutoCloseable {
    /** Returns the next record, or {@code null} at the end of the input. Records are never null. */
    T next() throws Exception;

    /** Where the record last returned by {@link #next} came from, or null if unknown. Called only to report. */
    default Location location() {
        return null;
    }

    /** The raw text of the record last returned by {@link #next}, for dead letters; null if the source has none. */
    default String rawText() {
        return null;
    }

    /**
     * The fraction of the input consumed so far, in [0, 1], or -1 if unknown. May be called from another thread
     * (for progress display), so implementations read a volatile or otherwise racy-but-safe field.
     */
    default double progress() {
        return -1;
    }

    /**
     * Where the next unread record starts, from which {@link Source#open(SourceContext, Position)} resumes; null if
     * this reader cannot say (the default). Between records: after {@link #next} returned, before the next call.
     */
    default Position position() {
        return null;
    }

    /** Releases the reader's resources. Called exactly once per run, however the run ends. */
    @Override
    void close() throws Exception;
}
