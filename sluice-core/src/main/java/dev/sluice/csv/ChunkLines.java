package dev.sluice.csv;

import java.util.concurrent.CompletableFuture;

/**
 * Internal: turns the line numbers a parallel worker counted from its guessed start into file line numbers. The
 * chunk's first record must be where the previous chunk really ended (the coordinator settles that, in order);
 * then its line there is known and every other line follows. Only {@link CsvRow#origin()} asks, so a worker waits
 * for its predecessors only if user code looks at a row's origin.
 */
final class ChunkLines {
    private final CompletableFuture<long[]> previous;
    private long first = -1;
    private long firstLocalLine;

    ChunkLines(CompletableFuture<long[]> previous) {
        this.previous = previous;
    }

    /** Called by the worker when it meets its first record. */
    void first(long offset, long localLine) {
        first = offset;
        firstLocalLine = localLine;
    }

    /** The file line of a record on local line {@code localLine}; -1 if the chunk's guessed start was wrong. */
    long global(long localLine) {
        long[] settled = previous.join();
        if (settled[0] != first) {
            return -1; // this chunk's rows are discarded: the coordinator re-reads it exactly
        }
        return settled[1] + (localLine - firstLocalLine);
    }
}
