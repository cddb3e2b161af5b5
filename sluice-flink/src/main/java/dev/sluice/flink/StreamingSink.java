package dev.sluice.flink;

import java.io.IOException;
import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The sink of an endless plan on Flink (STREAMING, with checkpoints): the Sluice sink is opened to be resumed ({@link
 * dev.sluice.Sink#openResumable}: a file is appended to in place). At each checkpoint the writer makes what it wrote
 * durable and its token (a file's length) becomes the writer's state; after a failure the writer is opened again from
 * the last completed checkpoint's token, which cuts away what was written after it, while the source reads on from
 * the position saved in the same checkpoint: exactly once. Written by one subtask.
 */
final class StreamingSink implements Sink<Object>, SupportsWriterState<Object, Serializable> {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // a Sluice Sink is Serializable
    private final dev.sluice.Sink<Object> sink;

    StreamingSink(dev.sluice.Sink<Object> sink) {
        this.sink = sink;
    }

    @Override
    public SinkWriter<Object> createWriter(WriterInitContext context) throws IOException {
        return new Writer(open(null));
    }

    @Override
    public StatefulSinkWriter<Object, Serializable> restoreWriter(
            WriterInitContext context, Collection<Serializable> recoveredState) throws IOException {
        Serializable token = null;
        for (Serializable s : recoveredState) {
            token = s; // one writer: one token
        }
        return new Writer(open(token));
    }

    private dev.sluice.SinkWriter<Object> open(Serializable token) throws IOException {
        return SluiceSink.io(() -> sink.openResumable(token));
    }

    @Override
    public SimpleVersionedSerializer<Serializable> getWriterStateSerializer() {
        return new SluiceSource.JavaSerializer<>();
    }

    static final class Writer implements StatefulSinkWriter<Object, Serializable> {
        private final dev.sluice.SinkWriter<Object> writer;
        private boolean closed;

        Writer(dev.sluice.SinkWriter<Object> writer) {
            this.writer = writer;
        }

        @Override
        public void write(Object record, Context context) throws IOException {
            SluiceSink.io(() -> {
                writer.write(record);
                return null;
            });
        }

        @Override
        public List<Serializable> snapshotState(long checkpointId) throws IOException {
            return List.of(SluiceSink.io(writer::checkpoint)); // durable before the checkpoint can complete
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            if (endOfInput && !closed) {
                closed = true;
                SluiceSink.io(() -> {
                    writer.close(true);
                    return null;
                });
            }
        }

        @Override
        public void close() throws Exception {
            if (!closed) {
                closed = true;
                writer.close(false); // a file appended to keeps what it holds: its checkpoints say what counts
            }
        }
    }
}
