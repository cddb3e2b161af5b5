package dev.sluice;

import java.io.Serializable;

/**
 * Where records come from: a file, a table, a generator. A source is part of a plan and opens nothing until a run
 * starts; each run opens one {@link SourceReader} and closes it exactly once.
 *
 * <p>Implementations: {@link Flow#from(Iterable)} and friends, {@link dev.sluice.csv.Csv#read}, {@link
 * dev.sluice.text.Text#lines}.
 */
public interface Source<T> extends Serializable {
    /** Opens a reader for one run. Called once per run, on the thread that runs the pipeline. */
    SourceReader<T> open(SourceContext context) throws Exception;

    /**
     * Opens a reader that starts at {@code position}, which a reader of this source reported: it reads exactly the
     * records that one had not read yet, with the same locations. By default, for a {@link Position.Records} count,
     * opens afresh and skips that many records (exact for a source that reads the same records in the same order
     * each time); any other position is refused. Sources with a real position (a byte offset, a key) override this.
     */
    default SourceReader<T> open(SourceContext context, Position position) throws Exception {
        if (position == null) {
            return open(context);
        }
        if (!(position instanceof Position.Records)) {
            throw new IllegalArgumentException(name() + " cannot resume from " + position);
        }
        long n = ((Position.Records) position).count();
        SourceReader<T> r = open(context);
        try {
            for (long i = 0; i < n; i++) {
                if (r.next() == null) {
                    throw new IllegalStateException(
                            name() + " has fewer than " + n + " records; cannot resume " + position);
                }
            }
        } catch (Exception | Error e) {
            r.close();
            throw e;
        }
        return r;
    }

    /** A short name for {@code explain()} and error messages, e.g. {@code csv(parking.csv)}. */
    String name();

    /** Whether the source ends by itself. Endless sources (generators, streams) return false. */
    default boolean bounded() {
        return true;
    }

    /**
     * The files this source reads, if any (default none). A run checks them before it starts and refuses to write
     * any of them.
     */
    default java.util.List<java.nio.file.Path> inputFiles() {
        return java.util.List.of();
    }
}
