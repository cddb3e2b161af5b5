package dev.sluice.flink;

import java.io.Serializable;

/**
 * The markers of a parallel read. The input is read in parts (the source's splits, numbered in input order), each
 * whole by one subtask: a part's records are numbered {@code part << 40 | index} by the operator that reads them, so
 * their numbers follow input order across parts, and a part's end is marked so that {@link InOrder} can put the
 * parts back together as they finish.
 */
final class Parts {
    private Parts() {}

    /** Bits of a record number that count records within a part. */
    static final int INDEX_BITS = 40;

    /** The number of record {@code index} of part {@code part}. */
    static long number(int part, long index) {
        return ((long) part << INDEX_BITS) | index;
    }

    /** The part of record number {@code seq}. */
    static int part(long seq) {
        return (int) (seq >>> INDEX_BITS);
    }

    /** Sent by a source reader before a split's first record. */
    record Start(int part) implements Serializable {}

    /** Sent after a part's last record, once every record it made has been sent. */
    record End(int part) implements Serializable {}

    /**
     * Records already encoded for the sink (a CSV file's bytes), made where the part was read, so that the one
     * subtask that writes the file only appends bytes in order.
     */
    record Chunk(@SuppressWarnings("serial") Object encoded) implements Serializable {}
}
