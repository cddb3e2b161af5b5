package dev.sluice.internal;

import dev.sluice.Location;
import dev.sluice.Row;
import dev.sluice.Source;
import dev.sluice.SourceContext;
import dev.sluice.SourceReader;
import dev.sluice.spi.Split;
import dev.sluice.spi.SplitHint;
import dev.sluice.spi.SplittableSource;
import java.util.List;

/**
 * Internal: a public {@link SplittableSource}'s exact splits as a parallel read plan. Chunk "offsets" are split
 * numbers, so every chunk's start matches the previous chunk's end and nothing is read twice unless a worker meets
 * a bad record (then the coordinator reads that split again, in order, with exact record numbers).
 */
final class ExactSplits implements Splittable.SplitPlan {
    private final SplittableSource<Object> source;
    private final List<? extends Split> splits;

    private ExactSplits(SplittableSource<Object> source, List<? extends Split> splits) {
        this.source = source;
        this.splits = splits;
    }

    /** Whether the run can split {@code source}: by the public SPI or the internal speculative one (CSV). */
    static boolean splittable(Source<?> source) {
        return Hooks.splittable(source) != null || source instanceof SplittableSource;
    }

    /** The parallel read plan for {@code source}, or null when it cannot be split now. */
    @SuppressWarnings("unchecked")
    static Splittable.SplitPlan plan(Source<?> source, SourceContext context, int chunkBytes, int threads)
            throws Exception {
        Splittable speculative = Hooks.splittable(source);
        if (speculative != null) {
            return speculative.plan(context, chunkBytes);
        }
        SplittableSource<Object> ss = (SplittableSource<Object>) source;
        List<? extends Split> splits = ss.splits(context, new SplitHint(threads, Math.max(1, chunkBytes), 20_000));
        return splits == null || splits.isEmpty() ? null : new ExactSplits(ss, List.copyOf(splits));
    }

    @Override
    public int chunks() {
        return splits.size();
    }

    @Override
    public long dataStart() {
        return 0;
    }

    @Override
    public long dataStartLine() {
        return -1;
    }

    @Override
    public Splittable.ChunkRead read(int i, Downstream<Object> out, SourceContext context) throws Exception {
        return read(i, -1, out, context);
    }

    @Override
    public Splittable.ChunkRead reread(
            int i, long from, long line, long recordsBefore, Downstream<Object> out, SourceContext context)
            throws Exception {
        return read(i, recordsBefore, out, context);
    }

    private Splittable.ChunkRead read(int i, long recordsBefore, Downstream<Object> out, SourceContext context)
            throws Exception {
        long n = 0;
        try (SourceReader<Object> r = source.openSplit(context, splits.get(i), recordsBefore)) {
            Object t;
            while ((t = r.next()) != null) {
                n++;
                out.push(t);
            }
        }
        return new Splittable.ChunkRead(i, -1, i + 1, -1, n);
    }

    @Override
    public void settled(int i, long end, long line) {}

    @Override
    public Location location(Object record) {
        return record instanceof Row r ? r.origin() : null;
    }

    @Override
    public String rawText(Object record) {
        return String.valueOf(record);
    }

    @Override
    public double progress(int chunksDone) {
        return (double) chunksDone / splits.size();
    }

    @Override
    public void close() {}
}
