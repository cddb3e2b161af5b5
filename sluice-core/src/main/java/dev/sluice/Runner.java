package dev.sluice;

/**
 * Runs {@link Plan}s. The {@link LocalRunner} (the default) runs them on this machine; other runners (e.g. on a
 * cluster) take the same plans through {@link Pipeline#run(Runner)} and {@link Flow#iterator(Runner)}.
 *
 * <p>A runner must give every plan the semantics the local runner gives it: the same records (in the same order
 * where the plan is ordered), the same errors under the same {@link ErrorPolicy}, and a {@link RunSummary} with the
 * same counts. A runner that cannot run some part of a plan refuses it before anything starts, naming the part.
 */
public interface Runner {
    /**
     * Runs {@code plan} to the end, its sink receiving the output, and reports what happened. Failures arrive
     * unchecked (an {@code IOException} as an {@link java.io.UncheckedIOException}), the cause kept.
     *
     * @param plan a plan with a sink ({@link Plan#sink()} not null)
     * @param listener told when the run starts and ends (e.g. to show progress), or null
     */
    RunSummary run(Plan plan, RunListener listener);

    /**
     * Pulls {@code plan}'s output lazily: nothing runs until {@code hasNext()} or {@code next()}, then only as far as
     * needed for the next record, holding a bounded number of records whatever a stage emits.
     *
     * @param plan a plan without a sink
     */
    <T> CloseableIterator<T> iterate(Plan plan);
}
