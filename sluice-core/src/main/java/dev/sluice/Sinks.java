package dev.sluice;

import dev.sluice.csv.Csv;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Objects;

/** Simple sinks: into a collection, nowhere, dead-letter CSV files. */
public final class Sinks {
    private Sinks() {}

    /**
     * Adds every record to {@code target}. For tests and small results: the collection grows with the output.
     * Not serializable across runners.
     */
    public static <T> Sink<T> collect(Collection<? super T> target) {
        Objects.requireNonNull(target, "target");
        return new Sink<T>() {
            private static final long serialVersionUID = 1L;

            @Override
            public SinkWriter<T> open() {
                return new SinkWriter<T>() {
                    @Override
                    public void write(T record) {
                        synchronized (target) {
                            target.add(record);
                        }
                    }

                    @Override
                    public void close(boolean success) {}
                };
            }

            @Override
            public String name() {
                return "collect";
            }

            @Override
            public boolean local() {
                return true; // the collection is the caller's
            }
        };
    }

    /** Discards every record (counting them in the summary). */
    public static <T> Sink<T> discard() {
        return new Sink<T>() {
            private static final long serialVersionUID = 1L;

            @Override
            public SinkWriter<T> open() {
                return new SinkWriter<T>() {
                    @Override
                    public void write(T record) {}

                    @Override
                    public void close(boolean success) {}
                };
            }

            @Override
            public String name() {
                return "discard";
            }
        };
    }

    /**
     * A dead-letter CSV file with columns {@code stage,record,source,line,reason,raw}. It is kept even when the run
     * fails (that is when it matters most).
     */
    public static Sink<Rejected> deadLetterCsv(Path file) {
        Sink<Row> csv = Csv.write(file).withAtomic(false);
        return new Sink<Rejected>() {
            private static final long serialVersionUID = 1L;

            @Override
            public SinkWriter<Rejected> open() throws Exception {
                SinkWriter<Row> w = csv.open();
                return new SinkWriter<Rejected>() {
                    @Override
                    public void write(Rejected r) throws Exception {
                        w.write(r.toRow());
                    }

                    @Override
                    public void close(boolean success) throws Exception {
                        w.close(true);
                    }
                };
            }

            @Override
            public String name() {
                return csv.name();
            }

            @Override
            public Output output() {
                return csv.output();
            }
        };
    }
}
