package dev.sluice;

import java.io.Serializable;

/**
 * Where a source's next unread record starts: a small serializable value that a reader reports ({@link
 * SourceReader#position()}) and from which the same source can open a reader again ({@link Source#open(
 * SourceContext, Position)}), reading exactly the records that were not read yet. What parallel reads, a cluster's
 * checkpoints and a restart after a crash stand on.
 *
 * <p>Each source says what its positions hold: a CSV file a byte offset with its line and record numbers, a table
 * read by key the last key read, an in-memory source how many records were read ({@link #records}).
 */
public interface Position extends Serializable {
    /** The position after {@code n} records: the next unread record is the {@code n + 1}th. */
    static Position records(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("a record count is at least 0, was " + n);
        }
        return new Records(n);
    }

    /** A position counted in records read; for sources that read the same records in the same order each time. */
    record Records(long count) implements Position {
        @Override
        public String toString() {
            return "after " + count + " records";
        }
    }
}
