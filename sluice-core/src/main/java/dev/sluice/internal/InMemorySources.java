package dev.sluice.internal;

import dev.sluice.Location;
import dev.sluice.Position;
import dev.sluice.SluiceException;
import dev.sluice.Source;
import dev.sluice.SourceContext;
import dev.sluice.SourceReader;
import dev.sluice.fn.SupplierFn;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/** Internal, not part of the API: sources over in-memory things. */
public final class InMemorySources {
    private InMemorySources() {}

    /** Base for readers that count records for their location. */
    abstract static class CountingReader<T> implements SourceReader<T> {
        private final String name;
        long count;

        CountingReader(String name) {
            this.name = name;
        }

        String name() {
            return name;
        }

        @Override
        public Location location() {
            return new Location(name, -1, count);
        }

        @Override
        public Position position() {
            return Position.records(count);
        }
    }

    /** Reads an iterator; {@code onClose} runs when the run ends (closing the iterator if it is closeable). */
    static final class IteratorReader<T> extends CountingReader<T> {
        private final Iterator<? extends T> it;
        private final AutoCloseable onClose;

        IteratorReader(String name, Iterator<? extends T> it, AutoCloseable onClose) {
            super(name);
            this.it = it;
            this.onClose = onClose;
        }

        @Override
        public T next() {
            if (!it.hasNext()) {
                return null;
            }
            count++;
            return nonNull(it.next(), name(), count);
        }

        @Override
        public void close() throws Exception {
            if (onClose != null) {
                onClose.close();
            } else if (it instanceof AutoCloseable) {
                ((AutoCloseable) it).close();
            }
        }
    }

    /** A named source whose reader is made by {@code open}; {@code bounded} says whether it surely ends. */
    private static <T> Source<T> source(String name, boolean bounded, SupplierFn<SourceReader<T>> open) {
        return new Source<T>() {
            private static final long serialVersionUID = 1L;

            @Override
            public SourceReader<T> open(SourceContext ctx) throws Exception {
                return open.get();
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean bounded() {
                return bounded;
            }
        };
    }

    /** Re-iterable: each run calls {@code iterator()} afresh. */
    public static <T> Source<T> iterable(Iterable<? extends T> items) {
        return source("iterable", true, () -> new IteratorReader<>("iterable", items.iterator(), null));
    }

    /** Single use: a second run fails clearly rather than seeing nothing. */
    public static <T> Source<T> iterator(Iterator<? extends T> it) {
        AtomicBoolean used = new AtomicBoolean();
        return source("iterator", true, () -> {
            if (used.getAndSet(true)) {
                throw new IllegalStateException("this flow reads a java.util.Iterator, which can be run only once; "
                        + "use Flow.from(Iterable) to run it again");
            }
            return new IteratorReader<>("iterator", it, null);
        });
    }

    /** Single use; the stream is closed (running its close handlers) when the run ends. */
    public static <T> Source<T> stream(Stream<? extends T> stream) {
        AtomicBoolean used = new AtomicBoolean();
        return source(
                "stream",
                false,
                () -> { // a Stream may be infinite; we cannot tell
                    if (used.getAndSet(true)) {
                        throw new IllegalStateException(
                                "this flow reads a java.util.stream.Stream, which can be run only once; "
                                        + "use Flow.from(Iterable) to run it again");
                    }
                    return new IteratorReader<>("stream", stream.iterator(), stream::close);
                });
    }

    /** Calls the supplier for each record; a {@code null} result ends the flow. */
    public static <T> Source<T> supply(SupplierFn<? extends T> supplier) {
        return new Source<T>() {
            private static final long serialVersionUID = 1L;

            @Override
            public SourceReader<T> open(SourceContext ctx) {
                return new CountingReader<T>(name()) {
                    private boolean ended;

                    @Override
                    public T next() throws Exception {
                        if (ended) {
                            return null;
                        }
                        T t = supplier.get();
                        if (t == null) {
                            ended = true;
                            return null;
                        }
                        count++;
                        return t;
                    }

                    @Override
                    public void close() {}
                };
            }

            @Override
            public String name() {
                return "supply";
            }

            @Override
            public boolean bounded() {
                return false;
            }
        };
    }

    /** The longs in [from, to). */
    public static Source<Long> range(long from, long to) {
        return new Source<Long>() {
            private static final long serialVersionUID = 1L;

            @Override
            public SourceReader<Long> open(SourceContext ctx) {
                return reader(0);
            }

            @Override
            public SourceReader<Long> open(SourceContext ctx, Position position) throws Exception {
                if (position instanceof Position.Records) {
                    return reader(((Position.Records) position).count()); // no need to count up to it
                }
                return Source.super.open(ctx, position);
            }

            private SourceReader<Long> reader(long skipped) {
                return new CountingReader<Long>(name()) {
                    private long next = from + Math.min(skipped, Math.max(0, to - from));

                    {
                        count = next - from;
                    }

                    @Override
                    public Long next() {
                        if (next >= to) {
                            return null;
                        }
                        count++;
                        return next++;
                    }

                    @Override
                    public double progress() {
                        return to <= from ? 1 : (double) (next - from) / (double) (to - from);
                    }

                    @Override
                    public void close() {}
                };
            }

            @Override
            public String name() {
                return "range(" + from + ", " + to + ")";
            }
        };
    }

    static <T> T nonNull(T t, String source, long n) {
        if (t == null) {
            throw new SluiceException(
                    "source '" + source + "' produced null as record " + n + "; records must not be null");
        }
        return t;
    }
}
