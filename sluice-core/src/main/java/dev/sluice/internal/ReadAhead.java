package dev.sluice.internal;

import dev.sluice.SourceReader;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Internal: reads a source on a thread of its own into a small queue, so that the thread running the chain can wait
 * for the next record and a timer's deadline at once (a timed batch closes while the source is silent). At most
 * {@link #CAPACITY} records are read ahead.
 */
final class ReadAhead {
    static final int CAPACITY = 16;
    private static final Object END = new Object();

    /** A failure of the source, handed to the driver. */
    private static final class Failure {
        final Throwable error;

        Failure(Throwable error) {
            this.error = error;
        }
    }

    /** What {@link #poll} returns when the wait ended before a record came. */
    static final Object TIMEOUT = new Object();
    /** What {@link #poll} returns at the end of the input. */
    static final Object DONE = new Object();

    private final ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread thread;
    private volatile boolean stopped;
    private boolean ended;

    /** A record read ahead with the reader's position after it, for a checkpointed run. */
    record Positioned(Object record, dev.sluice.Position position, dev.sluice.Location location, String rawText) {}

    ReadAhead(SourceReader<Object> reader, String name) {
        this(reader, name, false);
    }

    /**
     * Each record comes as a {@link Positioned} with its location and raw text (the reader is ahead of the record
     * being handled) and, with {@code positions}, the reader's position after it.
     */
    ReadAhead(SourceReader<Object> reader, String name, boolean positions) {
        thread = new Thread(
                () -> {
                    try {
                        Object t;
                        while (!stopped && (t = reader.next()) != null) {
                            queue.put(new Positioned(
                                    t, positions ? reader.position() : null, reader.location(), reader.rawText()));
                        }
                        if (!stopped) {
                            queue.put(END);
                        }
                    } catch (InterruptedException e) {
                        // stopped
                    } catch (Throwable e) {
                        if (!stopped) {
                            try {
                                queue.put(new Failure(e));
                            } catch (InterruptedException ie) {
                                // stopped
                            }
                        }
                    }
                },
                "sluice-read-ahead(" + name + ")");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The next record, {@link #DONE} at the end, or {@link #TIMEOUT} if none came within {@code nanos}; a failure of
     * the source is thrown.
     */
    Object poll(long nanos) throws Exception {
        if (ended) {
            return DONE;
        }
        Object t = nanos == Long.MAX_VALUE ? queue.take() : queue.poll(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        if (t == null) {
            return TIMEOUT;
        }
        if (t == END) {
            ended = true;
            return DONE;
        }
        if (t instanceof Failure) {
            ended = true;
            Throwable e = ((Failure) t).error;
            if (e instanceof Exception) {
                throw (Exception) e;
            }
            throw (Error) e;
        }
        return t;
    }

    /** Stops reading (the source is closed after this, by the run): waits a little for the thread to leave. */
    void stop() {
        stopped = true;
        queue.clear();
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
