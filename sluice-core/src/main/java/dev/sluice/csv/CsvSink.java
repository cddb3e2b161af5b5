package dev.sluice.csv;

import dev.sluice.Output;
import dev.sluice.Row;
import dev.sluice.Sink;
import dev.sluice.SinkWriter;
import dev.sluice.internal.ChunkEncoding;
import dev.sluice.internal.Hooks;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A CSV file (or stream) as a sink of {@link Row}s. Made by {@link Csv#write}; immutable. The header is the first
 * row's columns. A file appears atomically: rows go to a temporary file beside it, which replaces the target only
 * when the run succeeds, so a failed run never leaves a truncated file that looks complete; pipes, devices and
 * standard output are written in place (see {@link Output} for every rule). A name ending in {@code .gz} is
 * gzip-compressed.
 */
public final class CsvSink implements Sink<Row> {
    static {
        Hooks.encoding(CsvSink.class, s -> new Encoding(s));
    }

    private static final long serialVersionUID = 1L;

    private final Output output;
    private final CsvFormat format;

    CsvSink(Output output, CsvFormat format) {
        this.output = output;
        this.format = format;
    }

    /** This sink with another dialect (line ending, quoting, delimiter, header, charset). */
    public CsvSink withFormat(CsvFormat f) {
        return new CsvSink(output, Objects.requireNonNull(f, "format"));
    }

    /** Whether the file is replaced atomically on success (true, the default) or written in place as rows arrive. */
    public CsvSink withAtomic(boolean b) {
        return new CsvSink(output.withAtomic(b), format);
    }

    /** Whether an existing file may be replaced (true, the default); see {@link Output#withOverwrite}. */
    public CsvSink withOverwrite(boolean b) {
        return new CsvSink(output.withOverwrite(b), format);
    }

    /** Whether missing parent directories are created (default false); see {@link Output#withCreateDirectories}. */
    public CsvSink withCreateDirectories(boolean b) {
        return new CsvSink(output.withCreateDirectories(b), format);
    }

    /** The dialect written. */
    public CsvFormat format() {
        return format;
    }

    @Override
    public Output output() {
        return output;
    }

    @Override
    public String name() {
        return "csv(" + output.shortName() + ")";
    }

    @Override
    public SinkWriter<Row> open() throws Exception {
        return writer(output.open(), format.header());
    }

    /**
     * Appends to the file, resumable at checkpoints (see {@link Output#openResumable}); the header is written only
     * when the file starts empty.
     */
    @Override
    public SinkWriter<Row> openResumable(java.io.Serializable checkpoint) throws Exception {
        long at = checkpoint == null ? -1 : (Long) checkpoint;
        return writer(output.openResumable(at), format.header() && at <= 0);
    }

    private SinkWriter<Row> writer(Output.Opened o, boolean header) throws Exception {
        CsvWriter csv;
        try {
            csv = new CsvWriter(o.stream(), format);
        } catch (RuntimeException e) {
            o.close(false);
            throw e;
        }
        return new dev.sluice.internal.FileSinkWriter<Row>(o, output) {
            @Override
            public void write(Row row) throws Exception {
                csv.writeRow(row, header);
            }

            @Override
            protected void flushBuffered() throws Exception {
                csv.flush();
            }

            @Override
            public boolean writeEncoded(Object chunk) throws Exception {
                Encoded e = (Encoded) chunk;
                return e.header == null
                        || csv.appendEncoded(e.header, e.bytes.buffer(), e.bytes.size(), format.header());
            }

            @Override
            protected void flushEncoder() throws Exception {
                csv.close(); // flushes into the output's stream, and closes it
            }
        };
    }

    /**
     * One chunk's rows as CSV bytes, and the header they were written under (null if the chunk is empty).
     * Serializable, so a runner can send it to the process that writes the file.
     */
    private static final class Encoded implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        dev.sluice.Schema header;
        transient Bytes bytes;

        Encoded(dev.sluice.Schema header, Bytes bytes) {
            this.header = header;
            this.bytes = bytes;
        }

        private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
            out.defaultWriteObject();
            out.writeInt(bytes.size());
            out.write(bytes.buffer(), 0, bytes.size());
        }

        private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
            in.defaultReadObject();
            int n = in.readInt();
            bytes = new Bytes();
            byte[] b = in.readNBytes(n);
            bytes.write(b, 0, b.length);
        }
    }

    /** A growable byte buffer whose array can be read without a copy. */
    private static final class Bytes extends java.io.ByteArrayOutputStream {
        Bytes() {
            super(1 << 16);
        }

        byte[] buffer() {
            return buf;
        }
    }

    /** This sink's chunk encoding, for parallel runs. */
    private record Encoding(CsvSink sink) implements ChunkEncoding<Row> {
        @Override
        public ChunkEncoding.Encoder<Row> newEncoder() {
            return sink.newEncoder();
        }

        @Override
        public List<Row> records(Object chunk) throws Exception {
            Encoded e = (Encoded) chunk;
            List<Row> out = new ArrayList<>();
            if (e.header == null) {
                return out;
            }
            byte[] b = java.util.Arrays.copyOf(e.bytes.buffer(), e.bytes.size());
            CsvSource rows = Csv.read("encoded chunk", () -> new java.io.ByteArrayInputStream(b))
                    .withFormat(sink.format.withHeader(false).withSkipEmptyLines(false));
            try (dev.sluice.SourceReader<Row> r =
                    rows.open(new dev.sluice.internal.RunState(dev.sluice.ErrorPolicy.fail(), rows.name()))) {
                for (Row row = r.next(); row != null; row = r.next()) {
                    Object[] values = new Object[e.header.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = row.get(i);
                    }
                    out.add(Row.of(e.header, values, null));
                }
            }
            return out;
        }
    }

    /** A fresh encoder for one chunk of a parallel run, used by one worker. */
    ChunkEncoding.Encoder<Row> newEncoder() {
        Bytes bytes = new Bytes();
        CsvWriter csv = new CsvWriter(bytes, format);
        return new ChunkEncoding.Encoder<Row>() {
            private long count;

            @Override
            public void write(Row row) throws Exception {
                csv.writeRow(row, false);
                count++;
            }

            @Override
            public long count() {
                return count;
            }

            @Override
            public Object finish() throws Exception {
                csv.flush();
                return new Encoded(csv.header(), bytes);
            }
        };
    }
}
