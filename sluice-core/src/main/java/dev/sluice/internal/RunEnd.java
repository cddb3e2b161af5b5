package dev.sluice.internal;

import dev.sluice.RunListener;
import dev.sluice.RunSummary;
import dev.sluice.Sink;
import dev.sluice.SinkWriter;
import dev.sluice.SluiceException;
import java.util.function.Supplier;

/**
 * Internal: how every local run ends, sequential or parallel, so the resource-safety rules live once. The source is
 * closed (once), then the dead-letter sink, then the sink's writer, committing only if nothing failed; the listener
 * hears the outcome; the first failure is thrown (unchecked, the cause kept) with later ones suppressed, or else the
 * summary is returned.
 */
final class RunEnd {
    private RunEnd() {}

    /** Closes what a run's source holds; returns the failure so far, with any new one chained. */
    interface SourceCloser {
        Throwable close(Throwable failure);
    }

    static RunSummary finish(
            Throwable failure,
            SourceCloser source,
            RunState run,
            SinkWriter<Object> writer,
            Sink<?> sink,
            RunListener listener,
            Supplier<RunSummary> summary) {
        failure = source.close(failure);
        run.closeSpill(); // the stages have let go of their spill files: none outlives the run
        try {
            run.closeDeadLetters();
        } catch (Throwable t) {
            failure = chain(failure, t);
        }
        if (writer != null) {
            try {
                writer.close(failure == null);
            } catch (Throwable t) {
                failure = chain(
                        failure,
                        t instanceof SluiceException
                                ? t
                                : new SluiceException("closing " + sink.name() + " failed: " + t.getMessage(), t));
            }
        }
        if (failure != null) {
            if (listener != null) {
                listener.failed(failure);
            }
            throw LocalExecution.unchecked(failure);
        }
        RunSummary s = summary.get();
        if (listener != null) {
            listener.finished(s);
        }
        return s;
    }

    /** {@code primary}, with {@code next} suppressed in it; {@code next} if there was none. */
    static Throwable chain(Throwable primary, Throwable next) {
        if (primary == null) {
            return next;
        }
        if (primary != next) {
            primary.addSuppressed(next);
        }
        return primary;
    }
}
