package dev.sluice.csv;

import dev.sluice.Location;
import dev.sluice.Row;
import dev.sluice.Schema;
import dev.sluice.SourceContext;
import dev.sluice.SourceReader;
import dev.sluice.fn.SupplierFn;
import dev.sluice.internal.Hooks;
import dev.sluice.internal.InputFiles;
import dev.sluice.internal.Splittable;
import dev.sluice.spi.SplitHint;
import dev.sluice.spi.SplittableSource;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A CSV file (or stream) as a source of {@link Row}s. Made by {@link Csv#read}; immutable, configured with
 * {@link #withFormat}. Reading is byte-level and lazy: a field is decoded only when asked for. An uncompressed
 * file in an ASCII-compatible charset can be read in parallel by byte ranges ({@link dev.sluice.Flow#parallel}).
 *
 * <p>For runners that hand parts of the input to other processes (the Flink runner), an uncompressed file in an
 * ASCII-compatible charset also has exact {@link #splits byte-range splits}: the file is scanned once with the parser
 * itself (records only, no fields), so every split starts exactly at a record and knows its line and record number.
 *
 * <p>Errors name the file and line: {@code parking.csv line 787: record 786 has 1 field, but the header has 43}.
 */
public final class CsvSource implements SplittableSource<Row> {
    static {
        Hooks.splits(CsvSource.class, s -> s::splitPlan);
    }

    private static final long serialVersionUID = 1L;

    /** The file, as a string so that plans serialize (a {@link Path} does not); null for a stream source. */
    private final String file;
    /** More files after {@link #file}, read in order under one header; empty for one file. */
    private final String[] more;

    private final transient SupplierFn<InputStream> streams;
    private final String displayName;
    private final CsvFormat format;

    CsvSource(Path file, SupplierFn<InputStream> streams, String displayName, CsvFormat format) {
        this(file, List.of(), streams, displayName, format);
    }

    CsvSource(Path file, List<Path> more, SupplierFn<InputStream> streams, String displayName, CsvFormat format) {
        this(
                file == null ? null : file.toString(),
                more.stream().map(Path::toString).toArray(String[]::new),
                streams,
                displayName,
                format);
    }

    private CsvSource(
            String file, String[] more, SupplierFn<InputStream> streams, String displayName, CsvFormat format) {
        this.file = file;
        this.more = more;
        this.streams = streams;
        this.displayName = displayName;
        this.format = format;
    }

    /** This source with another dialect. */
    public CsvSource withFormat(CsvFormat f) {
        return new CsvSource(file, more, streams, displayName, Objects.requireNonNull(f, "format"));
    }

    @Override
    public List<Path> inputFiles() {
        if (file == null) {
            return List.of();
        }
        List<Path> all = new ArrayList<>();
        for (int i = 0; i <= more.length; i++) {
            all.add(path(i));
        }
        return all;
    }

    /** The dialect. */
    public CsvFormat format() {
        return format;
    }

    /** The file read, or null for a stream source. */
    public Path file() {
        return file == null ? null : Path.of(file);
    }

    /** File {@code i} of the files read (0 the first). */
    private Path path(int i) {
        return Path.of(i == 0 ? file : more[i - 1]);
    }

    @Override
    public String name() {
        return "csv(" + displayName + ")";
    }

    @Override
    public SourceReader<Row> open(SourceContext ctx) throws Exception {
        Charset cs = format.charset();
        Charset rowCharset = InputFiles.asciiCompatible(cs) ? cs : StandardCharsets.UTF_8;
        if (more.length > 0) {
            return new FilesReader(ctx);
        }
        if (file != null) {
            InputFiles.Opened o = InputFiles.open(path(0), cs);
            return new Reader(o.stream, o, ctx, rowCharset, displayName);
        }
        return new Reader(InputFiles.decode(streams.get(), cs, displayName), null, ctx, rowCharset, displayName);
    }

    /**
     * A position in a CSV input: the byte offset where the next unread record starts (in the decompressed, UTF-8
     * text for compressed or transcoded input), its line, and how many records were read before it.
     */
    public record Offset(long byteOffset, long line, long records) implements dev.sluice.Position {
        @Override
        public String toString() {
            return String.format(
                    java.util.Locale.ROOT, "byte %,d (line %,d, after %,d records)", byteOffset, line, records);
        }
    }

    /**
     * Resumes at an {@link Offset} that a reader of this source reported: the header (or, without one, the first
     * record's width) is read from the start again, then reading goes on at the offset with the same line and record
     * numbers. An uncompressed file is positioned directly; compressed or streamed input is read up to the offset.
     * Several files cannot be resumed yet.
     */
    @Override
    public SourceReader<Row> open(SourceContext ctx, dev.sluice.Position position) throws Exception {
        if (position == null) {
            return open(ctx);
        }
        if (!(position instanceof Offset)) {
            throw new IllegalArgumentException(name() + " resumes from a CsvSource.Offset, not " + position);
        }
        if (more.length > 0) {
            throw new UnsupportedOperationException(name() + ": resuming a read of several files is not supported yet");
        }
        return openAt(ctx, (Offset) position, -1);
    }

    /** A reader from {@code at} that stops before the first record starting at or after {@code end} (-1: none). */
    private SourceReader<Row> openAt(SourceContext ctx, Offset at, long end) throws Exception {
        if (at.byteOffset() == 0) {
            SourceReader<Row> r = open(ctx);
            if (r instanceof Reader rr) {
                rr.end = end;
            }
            return r;
        }
        Charset cs = format.charset();
        Charset rowCharset = InputFiles.asciiCompatible(cs) ? cs : StandardCharsets.UTF_8;
        Start start;
        try (InputStream first = fresh(cs)) {
            CsvParser p = new CsvParser(first, format, displayName);
            if (!p.next()) {
                throw new IllegalStateException(name() + " is empty; it cannot resume " + at);
            }
            start = start(p, format, rowCharset, displayName);
        }
        InputFiles.Opened opened = file != null ? InputFiles.open(path(0), cs) : null;
        InputStream in = opened != null ? opened.stream : fresh(cs);
        try {
            skipFully(in, at.byteOffset());
            CsvParser parser = new CsvParser(in, format, displayName, at.line(), at.byteOffset());
            Reader r = new Reader(in, opened, ctx, rowCharset, displayName, parser);
            r.end = end;
            r.maker = new CsvRowFactory(format, start.shared, start.width, ctx, at.records(), true, null);
            r.header = start.firstIsData ? null : start.shared.schema;
            return r;
        } catch (Exception | Error e) {
            in.close();
            throw e;
        }
    }

    private InputStream fresh(Charset cs) throws Exception {
        return file != null ? InputFiles.open(path(0), cs).stream : InputFiles.decode(streams.get(), cs, displayName);
    }

    private static void skipFully(InputStream in, long n) throws java.io.IOException {
        long left = n;
        while (left > 0) {
            long k = in.skip(left);
            if (k <= 0) {
                if (in.read() < 0) {
                    throw new java.io.EOFException(
                            "the input ends before byte " + n + ", where the read was to resume");
                }
                k = 1;
            }
            left -= k;
        }
    }

    /**
     * One exact part of a CSV file: the records that start at or after byte {@code start} and before byte {@code end}
     * ({@code -1}: to the end of the file); {@code line} and {@code recordsBefore} are the first record's line and how
     * many records come before it, so its rows have the locations of a sequential read.
     */
    public record ByteRange(long start, long end, long line, long recordsBefore) implements dev.sluice.spi.Split {
        @Override
        public String toString() {
            return String.format(
                    java.util.Locale.ROOT,
                    "bytes %,d to %s (from line %,d, record %,d)",
                    start,
                    end < 0 ? "the end" : String.format(java.util.Locale.ROOT, "%,d", end),
                    line,
                    recordsBefore + 1);
        }
    }

    /**
     * Cuts an uncompressed file into exact byte ranges of about {@code hint.targetBytes()} each, in file order, by
     * scanning it once with the parser (records are found, not split into fields). A stream, several files, a
     * compressed file or a charset that is not ASCII-compatible cannot be cut: the list is empty. A malformed record
     * that stops the scan ends the cutting there: the rest is one split, whose reader reports the record.
     */
    @Override
    public List<ByteRange> splits(SourceContext ctx, SplitHint hint) throws Exception {
        if (file == null
                || more.length > 0
                || !InputFiles.asciiCompatible(format.charset())
                || !java.nio.file.Files.isRegularFile(path(0))
                || CsvSplitPlan.compressed(path(0))) {
            return List.of();
        }
        List<ByteRange> out = new ArrayList<>();
        try (java.nio.channels.FileChannel ch =
                java.nio.channels.FileChannel.open(path(0), java.nio.file.StandardOpenOption.READ)) {
            CsvParser p = new CsvParser(new CsvSplitPlan.RangeStream(ch, 0), format, displayName);
            if (!p.next()) {
                return List.of(new ByteRange(0, -1, 1, 0));
            }
            long target = Math.max(1, hint.targetBytes());
            long start = format.header() ? p.position() : 0;
            long line = format.header() ? p.line() : 1;
            long before = 0;
            long records = format.header() ? 0 : 1;
            long next = start + target;
            try {
                while (p.next()) {
                    long off = p.recordOffset();
                    if (off >= next) {
                        out.add(new ByteRange(start, off, line, before));
                        start = off;
                        line = p.recLine;
                        before = records;
                        next = off + target;
                    }
                    records++;
                }
            } catch (RuntimeException | java.io.IOException e) {
                // a record the parser refuses: the rest of the file is the last split; its reader reports it
            }
            out.add(new ByteRange(start, -1, line, before));
        }
        return out;
    }

    @Override
    public SourceReader<Row> openSplit(SourceContext ctx, dev.sluice.spi.Split split, long recordsBefore)
            throws Exception {
        if (!(split instanceof ByteRange r)) {
            throw new IllegalArgumentException(name() + " reads a CsvSource.ByteRange, not " + split);
        }
        return openAt(ctx, new Offset(r.start(), r.line(), r.recordsBefore()), r.end());
    }

    /** A speculative parallel read in chunks of about {@code chunkBytes}, or null if this input cannot be split. */
    Splittable.SplitPlan splitPlan(SourceContext context, int chunkBytes) throws Exception {
        if (file == null
                || more.length > 0
                || !InputFiles.asciiCompatible(format.charset())
                || !java.nio.file.Files.isRegularFile(path(0))
                || CsvSplitPlan.compressed(path(0))) {
            return null;
        }
        return new CsvSplitPlan(path(0), format, displayName, chunkBytes, context);
    }

    /** What the first record (the header, or the first data record) says about every row. */
    static final class Start {
        final CsvRow.Shared shared;
        final int width;
        final boolean firstIsData;

        Start(CsvRow.Shared shared, int width, boolean firstIsData) {
            this.shared = shared;
            this.width = width;
            this.firstIsData = firstIsData;
        }
    }

    /** Reads the parser's current record as the header (or, without one, as the first record's width). */
    static Start start(CsvParser p, CsvFormat format, Charset charset, String name) {
        if (!format.header()) {
            return new Start(new CsvRow.Shared(numbered(p.fieldCount), format, charset, name), p.fieldCount, true);
        }
        CsvRow.Shared tmp = new CsvRow.Shared(numbered(p.fieldCount), format, charset, name);
        CsvRow h = new CsvRow(
                tmp,
                Arrays.copyOfRange(p.buffer(), p.recStart, p.recEnd),
                Arrays.copyOf(p.bounds(), 2 * p.fieldCount),
                p.fieldCount,
                p.recLine,
                0,
                p.recordOffset(),
                null,
                true,
                true);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < p.fieldCount; i++) {
            String n = h.get(i);
            names.add(n == null ? "" : n);
        }
        return new Start(new CsvRow.Shared(Schema.of(names), format, charset, name), names.size(), false);
    }

    private static Schema numbered(int n) {
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = Integer.toString(i + 1);
        }
        return Schema.of(names);
    }

    /**
     * Several files read one after another. Each must have the first one's header (checked when it is opened); each
     * record names its own file and line.
     */
    private final class FilesReader implements SourceReader<Row> {
        private final SourceContext ctx;
        private int index = -1;
        private Reader current;
        private Schema header;
        private String headerFile;
        private final int count = 1 + more.length;

        FilesReader(SourceContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Row next() throws Exception {
            while (true) {
                if (current == null) {
                    if (++index >= count) {
                        return null;
                    }
                    Path p = path(index);
                    Charset cs = format.charset();
                    InputFiles.Opened o = InputFiles.open(p, cs);
                    current = new Reader(
                            o.stream,
                            o,
                            ctx,
                            InputFiles.asciiCompatible(cs) ? cs : StandardCharsets.UTF_8,
                            String.valueOf(p.getFileName()));
                }
                Row r = current.next();
                if (format.header() && current.header() != null) {
                    Schema h = current.header();
                    if (header == null) {
                        header = h;
                        headerFile = current.name;
                    } else if (!header.equals(h) && current.headerChecked++ == 0) {
                        Location where = new Location(current.name, 1, -1);
                        throw new dev.sluice.DataException(
                                where + ": the header differs from " + headerFile + "'s ("
                                        + describeDifference(header, h)
                                        + "); files read together must have the same columns",
                                where,
                                null);
                    }
                }
                if (r != null) {
                    return r;
                }
                current.close();
                current = null;
            }
        }

        @Override
        public Location location() {
            Reader c = current;
            return c != null ? c.location() : new Location(displayName, -1, -1);
        }

        @Override
        public String rawText() {
            Reader c = current;
            return c == null ? null : c.rawText();
        }

        @Override
        public double progress() {
            Reader c = current;
            double within = c == null ? 0 : Math.max(0, c.progress());
            return Math.min(1.0, (Math.max(index, 0) + within) / count);
        }

        @Override
        public void close() throws Exception {
            Reader c = current;
            current = null;
            if (c != null) {
                c.close();
            }
        }
    }

    private static String describeDifference(Schema a, Schema b) {
        if (a.size() != b.size()) {
            return String.format(java.util.Locale.ROOT, "%d columns, not %d", b.size(), a.size());
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.name(i).equals(b.name(i))) {
                return "column " + (i + 1) + " is '" + b.name(i) + "', not '" + a.name(i) + "'";
            }
        }
        return "different columns";
    }

    private final class Reader implements SourceReader<Row> {
        final String name;
        int headerChecked;
        private final InputStream in;
        private final InputFiles.Opened opened;
        private final SourceContext ctx;
        private final Charset charset;
        private final CsvParser parser;
        private CsvRowFactory maker;
        private CsvRow current;
        /** Where an exact split ends: the first record starting here is the next split's (-1: read to the end). */
        long end = -1;

        Reader(InputStream in, InputFiles.Opened opened, SourceContext ctx, Charset charset, String name) {
            this(in, opened, ctx, charset, name, new CsvParser(in, format, name));
        }

        Reader(
                InputStream in,
                InputFiles.Opened opened,
                SourceContext ctx,
                Charset charset,
                String name,
                CsvParser parser) {
            this.name = name;
            this.in = in;
            this.opened = opened;
            this.ctx = ctx;
            this.charset = charset;
            this.parser = parser;
        }

        @Override
        public dev.sluice.Position position() {
            CsvRowFactory m = maker;
            if (m == null) {
                return new Offset(0, 1, 0);
            }
            return new Offset(parser.position(), parser.line(), m.records);
        }

        /** The header read, or null before the first record (or without a header). */
        Schema header() {
            return header;
        }

        private Schema header;

        @Override
        public Row next() throws Exception {
            try {
                return read();
            } catch (InputFiles.CorruptInputException e) {
                throw e.at(new Location(name, parser.line(), -1));
            }
        }

        private Row read() throws Exception {
            current = null;
            CsvParser p = parser;
            while (p.next()) {
                if (end >= 0 && p.recordOffset() >= end) {
                    if (p.recordOffset() != end) {
                        throw new IllegalStateException(String.format(
                                java.util.Locale.ROOT,
                                "%s: a split was to end at byte %,d, but the record there starts at byte %,d; "
                                        + "the file changed after it was split",
                                name,
                                end,
                                p.recordOffset()));
                    }
                    return null;
                }
                if (maker == null) {
                    Start s = start(p, format, charset, name);
                    if (!s.firstIsData) {
                        header = s.shared.schema;
                    }
                    maker = new CsvRowFactory(format, s.shared, s.width, ctx, 0, true, null);
                    if (!s.firstIsData) {
                        continue;
                    }
                }
                CsvRow row = maker.make(p);
                if (row != null) {
                    current = row;
                    return row;
                }
            }
            return null;
        }

        @Override
        public Location location() {
            CsvRow c = current;
            return c != null ? c.origin() : new Location(name, parser.line(), maker == null ? 0 : maker.records);
        }

        @Override
        public String rawText() {
            CsvRow c = current;
            return c == null ? null : c.rawText();
        }

        @Override
        public double progress() {
            return opened == null ? -1 : opened.progress();
        }

        @Override
        public void close() throws Exception {
            in.close();
        }
    }
}
