package dev.sluice.json;

import dev.sluice.Output;
import dev.sluice.Row;
import dev.sluice.Sink;
import dev.sluice.SinkWriter;
import dev.sluice.internal.ChunkEncoding;
import dev.sluice.internal.FileSinkWriter;
import java.io.IOException;
import java.io.OutputStream;

/**
 * JSON Lines as a sink of {@link Row}s; see {@link JsonLines#write(Output)}. Rows are encoded straight to UTF-8
 * bytes, and in a parallel run on the workers, so the writer only appends bytes in order.
 */
final class JsonLinesSink implements Sink<Row>, ChunkEncoding<Row> {
    private static final long serialVersionUID = 1L;
    private final Output output;

    JsonLinesSink(Output output) {
        this.output = output;
    }

    @Override
    public String name() {
        return "jsonl(" + output.shortName() + ")";
    }

    @Override
    public Output output() {
        return output;
    }

    @Override
    public SinkWriter<Row> open() throws Exception {
        return new JsonWriter(output.open(), output);
    }

    /** Appends to the file, resumable at checkpoints (see {@link Output#openResumable}). */
    @Override
    public SinkWriter<Row> openResumable(java.io.Serializable checkpoint) throws Exception {
        return new JsonWriter(output.openResumable(checkpoint == null ? -1 : (Long) checkpoint), output);
    }

    @Override
    public Encoder<Row> newEncoder() {
        return new ChunkEncoder();
    }

    /** One chunk's rows, encoded on a worker. */
    private static final class ChunkEncoder implements Encoder<Row> {
        private final JsonBytes bytes = new JsonBytes(1 << 16);
        private long count;

        @Override
        public void write(Row row) {
            bytes.row(row);
            count++;
        }

        @Override
        public long count() {
            return count;
        }

        @Override
        public Object finish() {
            return bytes;
        }
    }

    /** Writes rows, or workers' encoded chunks, to the output. */
    private static final class JsonWriter extends FileSinkWriter<Row> {
        private final OutputStream out;
        private final JsonBytes row = new JsonBytes(1 << 12);

        JsonWriter(Output.Opened opened, Output output) {
            super(opened, output);
            this.out = opened.stream();
        }

        @Override
        public void write(Row r) throws IOException {
            row.reset();
            row.row(r);
            out.write(row.buffer(), 0, row.size());
        }

        @Override
        public boolean writeEncoded(Object chunk) throws IOException {
            JsonBytes b = (JsonBytes) chunk;
            out.write(b.buffer(), 0, b.size());
            return true;
        }

        @Override
        protected void flushEncoder() throws IOException {
            out.close();
        }
    }
}
