package dev.sluice.internal;

import dev.sluice.SourceContext;

/**
 * Internal, not part of the API. A source that can be read in parallel by byte ranges (a file, not a stream).
 *
 * <p>A chunk is read speculatively on a worker: it starts at a guessed record boundary, and the coordinator
 * checks the guess against where the previous chunk really ended ({@link ChunkRead#first} must equal the
 * previous {@link ChunkRead#end}); when it does not (or the worker failed), the coordinator re-reads the chunk
 * exactly, in order, from the previous end, with exact record numbers.
 */
public interface Splittable {
    /** Plans a parallel read in chunks of about {@code chunkBytes}; null if this source cannot be split. */
    SplitPlan plan(SourceContext context, int chunkBytes) throws Exception;

    /** One parallel read of a source. Thread-safe: {@link #read} runs on many workers at once. */
    interface SplitPlan extends AutoCloseable {
        /** The number of chunks. */
        int chunks();

        /** Where the first chunk's first record starts, and on which line. */
        long dataStart();

        long dataStartLine();

        /**
         * On a worker: reads chunk {@code i} from a guessed boundary, pushing the records it owns (those starting
         * in the chunk) into {@code out}. Lines in the result are counted from the guessed start; the rows' lines
         * become exact once {@link #settled} has been called for chunk {@code i - 1}. Rows carry no record numbers.
         * Bad records are reported to {@code context}, which throws: the coordinator then re-reads the chunk.
         */
        ChunkRead read(int i, Downstream<Object> out, SourceContext context) throws Exception;

        /** The coordinator has settled chunk {@code i}: it ends at offset {@code end}, which is on line {@code line}. */
        void settled(int i, long end, long line);

        /**
         * On the coordinator: reads chunk {@code i} exactly, from {@code from} (the previous chunk's end), on line
         * {@code line}, numbering records after {@code recordsBefore}.
         */
        ChunkRead reread(int i, long from, long line, long recordsBefore, Downstream<Object> out, SourceContext context)
                throws Exception;

        /** Where a record this plan produced came from (for errors), or null. */
        dev.sluice.Location location(Object record);

        /** The raw text of a record this plan produced (for dead letters), or null. */
        String rawText(Object record);

        /** Fraction of the input consumed, given the chunks done so far. */
        double progress(int chunksDone);
    }

    /**
     * What reading a chunk found: the offset of the first record the parser met ({@code first}), the offset just
     * past the chunk's last owned record ({@code end}, where the next chunk's first record starts), the line there,
     * and how many records the chunk produced (rejected ones included).
     */
    final class ChunkRead {
        public final long first;
        public final long firstLine;
        public final long end;
        public final long endLine;
        public final long records;

        public ChunkRead(long first, long firstLine, long end, long endLine, long records) {
            this.first = first;
            this.firstLine = firstLine;
            this.end = end;
            this.endLine = endLine;
            this.records = records;
        }
    }
}
