package dev.sluice.csv;

import dev.sluice.SourceContext;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.Splittable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;

/**
 * Internal, not part of the API. Reads one CSV file in parallel by byte ranges.
 *
 * <p>Each worker first counts the line breaks in its nominal range (a plain byte count: the parser counts breaks
 * inside quoted fields too), so it can give its rows exact line numbers once its predecessors have counted theirs.
 * It then guesses that a record starts just after the first line break at or after its range's start and parses
 * from there, owning the records that start inside its range. A guess inside a quoted field is caught by the
 * coordinator, which compares the chunk's first record offset with where the previous chunk really ended.
 */
final class CsvSplitPlan implements Splittable.SplitPlan {
    private final FileChannel channel;
    private final CsvFormat format;
    private final String name;
    private final long size;
    private final CsvSource.Start start;
    private final long dataStart;
    private final long dataStartLine;
    private final long[] bounds;
    /** settled[i]: where chunk i - 1 really ended and on which line (chunk 0: the data start). */
    private final CompletableFuture<long[]>[] settled;

    static boolean compressed(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(2);
            ch.read(b, 0);
            return b.position() == 2 && (b.get(0) & 0xff) == 0x1f && (b.get(1) & 0xff) == 0x8b;
        }
    }

    @SuppressWarnings("unchecked")
    CsvSplitPlan(Path file, CsvFormat format, String name, int chunkBytes, SourceContext ctx) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            this.format = format;
            this.name = name;
            this.size = channel.size();
            CsvParser p = new CsvParser(new RangeStream(channel, 0), format, name);
            if (p.next()) {
                start = CsvSource.start(p, format, format.charset(), name);
                dataStart = start.firstIsData ? p.recordOffset() : p.position();
                dataStartLine = start.firstIsData ? p.recLine : p.line();
            } else {
                start = null;
                dataStart = size;
                dataStartLine = p.line();
            }
            long len = size - dataStart;
            int n = (int) Math.max(1, Math.min(Integer.MAX_VALUE - 1, (len + chunkBytes - 1) / chunkBytes));
            bounds = new long[n + 1];
            for (int i = 0; i < n; i++) {
                bounds[i] = dataStart + (long) i * chunkBytes;
            }
            bounds[n] = size;
            settled = (CompletableFuture<long[]>[]) new CompletableFuture<?>[n + 1];
            for (int i = 0; i <= n; i++) {
                settled[i] = new CompletableFuture<>();
            }
            settled[0].complete(new long[] {dataStart, dataStartLine});
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public int chunks() {
        return bounds.length - 1;
    }

    @Override
    public long dataStart() {
        return dataStart;
    }

    @Override
    public long dataStartLine() {
        return dataStartLine;
    }

    @Override
    public dev.sluice.Location location(Object record) {
        return record instanceof CsvRow ? ((CsvRow) record).origin() : null;
    }

    @Override
    public String rawText(Object record) {
        return record instanceof CsvRow ? ((CsvRow) record).rawText() : null;
    }

    @Override
    public double progress(int chunksDone) {
        return (double) chunksDone / chunks();
    }

    @Override
    public Splittable.ChunkRead read(int i, Downstream<Object> out, SourceContext ctx) throws Exception {
        long from = bounds[i];
        long s = i == 0 ? from : nextLineStart(from);
        ChunkLines lines = new ChunkLines(settled[i]);
        if (i == 0) {
            lines.first(from, 0); // the first chunk starts exactly at the data start: nothing to guess
        }
        return parse(
                s,
                0,
                bounds[i + 1],
                new CsvRowFactory(format, shared(), width(), ctx, 0, false, lines),
                out,
                lines,
                i == 0);
    }

    @Override
    public void settled(int i, long end, long line) {
        settled[i + 1].complete(new long[] {end, line});
    }

    @Override
    public Splittable.ChunkRead reread(
            int i, long from, long line, long recordsBefore, Downstream<Object> out, SourceContext ctx)
            throws Exception {
        return parse(
                from,
                line,
                bounds[i + 1],
                new CsvRowFactory(format, shared(), width(), ctx, recordsBefore, true, null),
                out,
                null,
                true);
    }

    private CsvRow.Shared shared() {
        return start == null ? null : start.shared;
    }

    private int width() {
        return start == null ? 0 : start.width;
    }

    /** {@code anchored}: {@code from} is known to be a record boundary, so it is the chunk's first offset. */
    private Splittable.ChunkRead parse(
            long from,
            long line,
            long to,
            CsvRowFactory maker,
            Downstream<Object> out,
            ChunkLines lines,
            boolean anchored)
            throws IOException {
        long before = maker.records;
        if (from >= size || start == null) {
            return new Splittable.ChunkRead(anchored ? from : size, line, size, line, 0);
        }
        CsvParser p = new CsvParser(new RangeStream(channel, from), format, name, line, from);
        long first = anchored ? from : -1;
        long firstLine = line;
        while (true) {
            if (!p.next()) {
                long end = p.position();
                if (first < 0) {
                    first = end;
                    firstLine = p.line();
                }
                return new Splittable.ChunkRead(first, firstLine, end, p.line(), maker.records - before);
            }
            long off = p.recordOffset();
            if (first < 0) {
                first = off;
                firstLine = p.recLine;
                if (lines != null) {
                    lines.first(off, p.recLine);
                }
            }
            if (off >= to) {
                return new Splittable.ChunkRead(first, firstLine, off, p.recLine, maker.records - before);
            }
            CsvRow row = maker.make(p);
            if (row != null) {
                out.push(row);
            }
        }
    }

    private int peek(long at) throws IOException {
        if (at >= size) {
            return -1;
        }
        ByteBuffer one = ByteBuffer.allocate(1);
        return channel.read(one, at) == 1 ? one.get(0) : -1;
    }

    /** The offset just after the first line break at or after {@code from - 1}; the file's size if there is none. */
    private long nextLineStart(long from) throws IOException {
        byte[] buf = new byte[1 << 14];
        ByteBuffer bb = ByteBuffer.wrap(buf);
        long pos = from - 1;
        while (pos < size) {
            bb.clear();
            int n = channel.read(bb, pos);
            if (n <= 0) {
                break;
            }
            for (int k = 0; k < n; k++) {
                byte b = buf[k];
                if (b == '\n') {
                    return pos + k + 1;
                }
                if (b == '\r') {
                    int next = k + 1 < n ? buf[k + 1] : peek(pos + k + 1);
                    return next == '\n' ? pos + k + 2 : pos + k + 1;
                }
            }
            pos += n;
        }
        return size;
    }

    /** Releases workers that wait for a chunk the coordinator will never settle (the run stopped early). */
    @Override
    public void close() throws IOException {
        for (CompletableFuture<long[]> f : settled) {
            f.complete(new long[] {-1, -1}); // no chunk starts at -1: their lines read as unknown
        }
        channel.close();
    }

    /** Reads a file channel from an offset with positional reads, so many readers can share one channel. */
    static final class RangeStream extends InputStream {
        private final FileChannel channel;
        private long pos;

        RangeStream(FileChannel channel, long pos) {
            this.channel = channel;
            this.pos = pos;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = channel.read(ByteBuffer.wrap(b, off, len), pos);
            if (n > 0) {
                pos += n;
            }
            return n;
        }
    }
}
