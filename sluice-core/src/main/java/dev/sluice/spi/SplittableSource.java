package dev.sluice.spi;

import dev.sluice.Source;
import dev.sluice.SourceContext;
import dev.sluice.SourceReader;
import java.util.List;

/**
 * A source whose input can be cut into {@link Split splits} that are read at once, on several threads or machines:
 * what {@link dev.sluice.Flow#parallel()} runs on the local runner, and what a cluster runner hands its workers.
 *
 * <p>The contract: splits are <b>exact</b> and <b>ordered</b>. Every record of the input is in exactly one split,
 * and reading the splits one after another, in the order returned, gives the same records in the same order as
 * {@link #open(SourceContext)}. A runner that keeps order (the local runner does) therefore gives the output of a
 * sequential run. Splits are made when the run starts, from the data as it is then.
 *
 * <p>Readers of splits behave like any {@link SourceReader}: they report bad records to their context, say where a
 * record came from, and may say where they are ({@link SourceReader#position()}) so a split can be resumed with
 * {@link #openSplit(SourceContext, Split, dev.sluice.Position)}.
 *
 * @param <T> the record type
 */
public interface SplittableSource<T> extends Source<T> {
    /**
     * Cuts the input into splits, in input order, guided by {@code hint}. An empty list means the source cannot be
     * split now (for example, a table with NULL keys): the runner then reads it sequentially with {@link #open}.
     */
    List<? extends Split> splits(SourceContext context, SplitHint hint) throws Exception;

    /**
     * Opens a reader over one split. {@code recordsBefore} is how many records the input holds before the split, when
     * the runner knows it (when it reads the splits in order), so locations can number records across the whole input;
     * -1 when it does not (a split read ahead on a worker).
     */
    SourceReader<T> openSplit(SourceContext context, Split split, long recordsBefore) throws Exception;

    /**
     * Opens a reader over the rest of one split, from a position one of its readers reported. By default only the
     * start ({@code null}) is supported.
     */
    default SourceReader<T> openSplit(SourceContext context, Split split, dev.sluice.Position position)
            throws Exception {
        if (position == null) {
            return openSplit(context, split, -1);
        }
        throw new UnsupportedOperationException(name() + " cannot resume a split from " + position);
    }
}
