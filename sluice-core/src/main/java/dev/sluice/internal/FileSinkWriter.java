package dev.sluice.internal;

import dev.sluice.Output;
import dev.sluice.SinkWriter;
import java.io.IOException;
import java.io.Serializable;

/**
 * Internal: the end of a file sink's writer, shared by CSV and JSON Lines. The subclass encodes records into the
 * output's stream and says how to flush its encoder ({@link #flushEncoder}); this class makes the output durable
 * and visible through the {@link Output.Opened} rules: on a clean close, or through the commit barrier.
 */
public abstract class FileSinkWriter<T> implements SinkWriter<T>, ChunkEncoding.Writer {
    protected final Output.Opened opened;
    private final Output output;
    private boolean prepared;

    protected FileSinkWriter(Output.Opened opened, Output output) {
        this.opened = opened;
        this.output = output;
    }

    /** Flushes what the encoder buffers into the output's stream, and closes that stream. */
    protected abstract void flushEncoder() throws Exception;

    /** Flushes the encoder; on failure drops the temporary file and says which output failed. */
    private void flushOrDrop() throws Exception {
        try {
            flushEncoder();
        } catch (Exception e) {
            opened.close(false);
            throw new IOException("writing " + output.name() + " failed: " + e.getMessage(), e);
        }
    }

    /** Flushes what the encoder buffers into the output's stream, leaving it open (for a checkpoint). */
    protected void flushBuffered() throws Exception {}

    /** The output's length once what was written is durable (a resumable file), or -1 for a stream. */
    @Override
    public Serializable checkpoint() throws Exception {
        flushBuffered();
        return opened.sync();
    }

    @Override
    public Serializable prepare() throws Exception {
        prepared = true;
        flushOrDrop();
        return opened.prepare();
    }

    @Override
    public void commit(Serializable token) throws Exception {
        opened.commit(token);
    }

    @Override
    public void abort(Serializable token) throws Exception {
        opened.close(false);
    }

    @Override
    public void close(boolean success) throws Exception {
        if (prepared) {
            opened.close(success); // after a commit nothing is left to do; without one, the prepared file is dropped
            return;
        }
        if (success) {
            flushOrDrop(); // the last flush: a full disk shows here, and then nothing replaces the target
        } else {
            try {
                flushEncoder();
            } catch (Exception e) {
                // the run has failed already; its failure is what is reported
            }
        }
        opened.close(success);
    }
}
