package dev.sluice;

/** One run's open view of a {@link Sink}. */
public interface SinkWriter<T> {
    /**
     * Writes one record. A {@link DataException} here means the record is bad (it is handled by the run's error
     * policy); any other exception fails the run.
     */
    void write(T record) throws Exception;

    /**
     * Finishes the run. Called exactly once.
     *
     * @param success true when the run completed; false when it failed, in which case a sink should discard
     *     what it wrote where it can (e.g. delete a partial file) rather than leave output that looks complete
     */
    void close(boolean success) throws Exception;

    /**
     * The commit barrier, first half: makes everything written so far durable without making it visible where the
     * sink can keep the two apart (a file is forced to disk under its temporary name; a database transaction is
     * flushed but not committed), and returns a serializable token for {@link #commit} or {@link #abort}. A runner
     * records the token with the sources' positions, so that after a crash it can finish the commit. Nothing may be
     * written after it. By default a sink has no barrier.
     */
    default java.io.Serializable prepare() throws Exception {
        throw new UnsupportedOperationException("this sink has no commit barrier");
    }

    /**
     * Makes what {@link #prepare} made durable visible (a file renamed onto its target, a transaction committed).
     * Idempotent: committing a token that was already committed does nothing, so a restarted run may repeat it.
     */
    default void commit(java.io.Serializable token) throws Exception {}

    /**
     * For a writer opened by {@link Sink#openResumable}: makes everything written so far durable and returns a token
     * from which {@link Sink#openResumable} goes on; writing goes on after it. Called between records.
     */
    default java.io.Serializable checkpoint() throws Exception {
        throw new UnsupportedOperationException("this writer was not opened to be resumed");
    }

    /** Discards what {@link #prepare} made durable, where the sink can (a temporary file deleted, a rollback). */
    default void abort(java.io.Serializable token) throws Exception {}
}
