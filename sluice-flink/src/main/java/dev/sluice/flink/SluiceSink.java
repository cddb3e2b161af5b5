package dev.sluice.flink;

import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A Sluice sink as a Flink (Sink V2) sink, written by one subtask so its output is exactly the local runner's: the
 * Sluice writer is closed as a success at the end of input (a file output is then renamed into place atomically) and
 * as a failure otherwise (its temporary file removed), so a failed or cancelled job leaves no partial output.
 */
final class SluiceSink implements Sink<Object> {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // a Sluice Sink is Serializable
    private final dev.sluice.Sink<Object> sink;

    private final boolean lazy;

    SluiceSink(dev.sluice.Sink<Object> sink) {
        this(sink, false);
    }

    /** @param lazy open the Sluice sink on the first record (a dead-letter sink: nothing written without one) */
    SluiceSink(dev.sluice.Sink<Object> sink, boolean lazy) {
        this.sink = sink;
        this.lazy = lazy;
    }

    @Override
    public SinkWriter<Object> createWriter(WriterInitContext context) throws IOException {
        Writer w = new Writer(sink);
        if (!lazy) {
            w.open();
        }
        return w;
    }

    /** A call into a Sluice writer, which may throw any exception. */
    interface Call<T> {
        T call() throws Exception;
    }

    /** Runs {@code c}, passing I/O and unchecked exceptions on and wrapping any other in an IOException. */
    static <T> T io(Call<T> c) throws IOException {
        try {
            return c.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    static final class Writer implements SinkWriter<Object> {
        private final dev.sluice.Sink<Object> sink;
        private dev.sluice.SinkWriter<Object> writer;
        private boolean closed;

        Writer(dev.sluice.Sink<Object> sink) {
            this.sink = sink;
        }

        void open() throws IOException {
            try {
                writer = sink.open();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(sink.name() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void write(Object record, Context context) throws IOException {
            if (writer == null) {
                open();
            }
            try {
                if (record instanceof Parts.Chunk c) { // encoded where it was read: appended as it is
                    if (!(writer instanceof dev.sluice.internal.ChunkEncoding.Writer w)
                            || !w.writeEncoded(c.encoded())) {
                        for (Object r : dev.sluice.internal.Hooks.encoding(sink).records(c.encoded())) {
                            writer.write(r);
                        }
                    }
                    return;
                }
                writer.write(record);
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            if (endOfInput && !closed) {
                closed = true;
                if (writer == null) {
                    return; // lazy, and nothing came
                }
                io(() -> {
                    writer.close(true);
                    return null;
                });
            }
        }

        @Override
        public void close() throws Exception {
            if (!closed && writer != null) {
                closed = true;
                writer.close(false);
            }
        }
    }
}
