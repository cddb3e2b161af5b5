package dev.sluice.spi;

import dev.sluice.Row;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Rows that {@link dev.sluice.Flow#lookup} fetches by key, many keys per call: a database table queried with
 * {@code WHERE (k1, k2) IN (...)}, a service taking a batch of ids. A serializable description; {@link #open} makes
 * the connection for one run.
 */
public interface LookupSource extends Serializable {
    /** The key columns of the looked-up rows, in the order the keys' values are given. */
    List<String> keyColumns();

    /** A short name for {@code explain()} and errors. */
    String name();

    /** Opens a fetcher for one run. */
    Fetcher open() throws Exception;

    /** One run's connection to the rows. */
    interface Fetcher extends AutoCloseable {
        /**
         * The rows for each of {@code keys} (each a list of values, one per key column, none null), in one call; a
         * key with no rows may be absent from the result.
         */
        Map<List<Object>, List<Row>> fetch(List<List<Object>> keys) throws Exception;

        @Override
        void close() throws Exception;
    }
}
