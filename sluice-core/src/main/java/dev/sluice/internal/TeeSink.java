package dev.sluice.internal;

import dev.sluice.Output;
import dev.sluice.Sink;
import dev.sluice.SinkWriter;
import dev.sluice.SluiceException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Internal: several sinks written in one pass, each record to each in order. On success every writer is first
 * prepared (made durable, not yet visible) where its sink has a commit barrier, then all are committed, so one
 * failing sink leaves the others' targets as they were; a sink without a barrier is closed in order after them.
 */
public final class TeeSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // an immutable List.copyOf of sinks, which are serializable
    private final List<Sink<T>> sinks;

    public TeeSink(List<Sink<T>> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    /** These sinks and {@code more}, flattened. */
    @SuppressWarnings("unchecked")
    public static <T> TeeSink<T> of(Sink<?> first, Sink<?> more) {
        List<Sink<T>> all = new ArrayList<>();
        for (Sink<?> s : List.of(first, more)) {
            if (s instanceof TeeSink) {
                all.addAll(((TeeSink<T>) s).sinks);
            } else {
                all.add((Sink<T>) s);
            }
        }
        return new TeeSink<>(all);
    }

    @Override
    public String name() {
        return sinks.stream().map(Sink::name).collect(Collectors.joining(" + "));
    }

    @Override
    public List<Output> outputs() {
        List<Output> all = new ArrayList<>();
        for (Sink<T> s : sinks) {
            all.addAll(s.outputs());
        }
        return all;
    }

    @Override
    public SinkWriter<T> open() throws Exception {
        List<SinkWriter<T>> writers = new ArrayList<>();
        try {
            for (Sink<T> s : sinks) {
                writers.add(s.open());
            }
        } catch (Exception | Error e) {
            for (SinkWriter<T> w : writers) {
                try {
                    w.close(false);
                } catch (Exception ignored) {
                    // the open failure is what is reported
                }
            }
            throw e;
        }
        return new TeeWriter<>(writers, sinks);
    }

    private static final class TeeWriter<T> implements SinkWriter<T> {
        private final List<SinkWriter<T>> writers;
        private final List<Sink<T>> sinks;

        TeeWriter(List<SinkWriter<T>> writers, List<Sink<T>> sinks) {
            this.writers = writers;
            this.sinks = sinks;
        }

        @Override
        public void write(T record) throws Exception {
            for (SinkWriter<T> w : writers) {
                w.write(record);
            }
        }

        @Override
        public void close(boolean success) throws Exception {
            Throwable failure = null;
            List<Serializable> tokens = new ArrayList<>();
            List<SinkWriter<T>> unprepared = new ArrayList<>();
            if (success) {
                for (SinkWriter<T> w : writers) {
                    try {
                        tokens.add(w.prepare());
                    } catch (UnsupportedOperationException e) {
                        tokens.add(null);
                        unprepared.add(w);
                    } catch (Throwable t) {
                        failure = LocalExecution.chain(failure, t);
                        tokens.add(null);
                    }
                }
            }
            boolean ok = success && failure == null;
            for (int i = 0; i < writers.size(); i++) {
                SinkWriter<T> w = writers.get(i);
                try {
                    if (ok && tokens.get(i) != null) {
                        w.commit(tokens.get(i));
                    } else if (!ok && tokens.size() > i && tokens.get(i) != null) {
                        w.abort(tokens.get(i));
                    }
                    w.close(ok);
                } catch (Throwable t) {
                    failure = LocalExecution.chain(
                            failure,
                            t instanceof SluiceException
                                    ? t
                                    : new SluiceException(
                                            "closing " + sinks.get(i).name() + " failed: " + t.getMessage(), t));
                    ok = false;
                }
            }
            if (failure != null) {
                throw failure instanceof Exception
                        ? (Exception) failure
                        : new SluiceException(failure.toString(), failure);
            }
        }
    }
}
