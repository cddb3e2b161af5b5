package dev.sluice;

import java.io.Serializable;

/**
 * Where records go: a CSV file, a table, a collection. Part of a plan; each run opens one {@link SinkWriter}.
 *
 * <p>Implementations: {@link dev.sluice.csv.Csv#write}, {@link Sinks}.
 */
public interface Sink<T> extends Serializable {
    /** Opens a writer for one run. */
    SinkWriter<T> open() throws Exception;

    /**
     * Opens a writer for an endless, checkpointed run: records are written in place as they come (a file is appended
     * to, not replaced at the end), {@link SinkWriter#checkpoint()} makes them durable and returns a token, and a
     * writer opened with that token goes on right after it, discarding whatever a crashed run wrote later. With
     * {@code checkpoint} null it starts afresh. By default a sink cannot be resumed.
     */
    default SinkWriter<T> openResumable(java.io.Serializable checkpoint) throws Exception {
        throw new UnsupportedOperationException(
                name() + " cannot be resumed at checkpoints; write a CSV, JSON Lines or text file instead");
    }

    /** A short name for {@code explain()} and error messages, e.g. {@code csv(out.csv)}. */
    String name();

    /**
     * Where this sink writes, if it writes a file or a stream; null otherwise (the default). A run checks it before
     * it starts: it refuses to write a file that it also reads, or that another of its outputs writes.
     */
    /**
     * Whether this sink writes into objects in the caller's memory (a collection, a callback), so a runner whose work
     * runs in other processes (a cluster) must bring the records back to the caller and write them there. By default, whether it writes
     * to standard output or a stream; false for files, databases and services, which any process can write.
     */
    default boolean local() {
        for (Output o : outputs()) {
            if (o.file() == null) {
                return true; // standard output, or a stream: the caller's
            }
        }
        return false;
    }

    default Output output() {
        return null;
    }

    /** Every file or stream this sink writes (its {@link #output()}, if any; several for a sink of sinks). */
    default java.util.List<Output> outputs() {
        Output o = output();
        return o == null ? java.util.List.of() : java.util.List.of(o);
    }
}
