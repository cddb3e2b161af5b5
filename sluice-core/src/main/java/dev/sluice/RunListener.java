package dev.sluice;

/**
 * Hooks into a run, e.g. for progress display. Called on the thread that runs the pipeline; {@link RunProgress}
 * may be read from any thread.
 */
public interface RunListener {
    /** The run has opened its source and is about to read. */
    default void started(RunProgress progress) {}

    /** The run completed. */
    default void finished(RunSummary summary) {}

    /** The run failed with {@code error}, which is thrown to the caller after this returns. */
    default void failed(Throwable error) {}
}
