package dev.sluice.flink;

import dev.sluice.ErrorPolicy;
import dev.sluice.Source;
import dev.sluice.SourceReader;
import dev.sluice.internal.RunState;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceEnumerator;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceReader;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceSplit;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.InstantiationUtil;

/**
 * A Sluice {@link Source} as a Flink (FLIP-27) source: its splits are Flink splits, handed to readers on request.
 * A source that cannot be split is one split. Each split's reader opens the Sluice source with a context that applies
 * the plan's error policy, and after its last record sends a {@link SourceReport} of what it rejected.
 */
final class SluiceSource
        implements org.apache.flink.api.connector.source.Source<
                        Object, SluiceSource.Split, Collection<SluiceSource.Split>>,
                ResultTypeQueryable<Object> {
    private static final long serialVersionUID = 1L;
    private final List<Split> splits;
    private final boolean bounded;

    /**
     * @param parts the source's splits, in input order, each read whole by one reader; null to read it as one
     */
    SluiceSource(Source<?> source, List<? extends dev.sluice.spi.Split> parts, ErrorPolicy policy, boolean bounded) {
        List<Split> l = new ArrayList<>();
        if (parts == null) {
            l.add(new Split(0, source, null, policy));
        } else {
            for (int i = 0; i < parts.size(); i++) {
                l.add(new Split(i, source, parts.get(i), policy));
            }
        }
        this.splits = List.copyOf(l);
        this.bounded = bounded;
    }

    /**
     * One split: part {@code index} of the input (a Sluice split of a splittable source, or the whole source), read
     * under the plan's error policy.
     */
    static final class Split implements IteratorSourceSplit<Object, Records>, Serializable {
        private static final long serialVersionUID = 1L;
        private final int index;

        @SuppressWarnings("serial") // a Sluice Source is Serializable
        private final Source<?> source;

        @SuppressWarnings("serial") // a Sluice Split is Serializable
        private final dev.sluice.spi.Split part;

        private final ErrorPolicy policy;

        /** Where an endless source's reader stands (Flink split state): null before its first record. */
        @SuppressWarnings("serial") // a Sluice Position is Serializable
        private final dev.sluice.Position position;

        Split(int index, Source<?> source, dev.sluice.spi.Split part, ErrorPolicy policy) {
            this(index, source, part, policy, null);
        }

        private Split(
                int index,
                Source<?> source,
                dev.sluice.spi.Split part,
                ErrorPolicy policy,
                dev.sluice.Position position) {
            this.index = index;
            this.source = source;
            this.part = part;
            this.policy = policy;
            this.position = position;
        }

        /** This split, its reader standing at {@code p}. */
        Split at(dev.sluice.Position p) {
            return p == null ? this : new Split(index, source, part, policy, p);
        }

        @Override
        public String splitId() {
            return Integer.toString(index);
        }

        @Override
        public Records getIterator() {
            return new Records(index, source, part, policy);
        }

        @Override
        public String toString() {
            return source.name() + (part == null ? "" : " " + part) + (position == null ? "" : " at " + position);
        }

        @Override
        public IteratorSourceSplit<Object, Records> getUpdatedSplitForIterator(Records iterator) {
            return this; // read again from the start after a failure (positions come with checkpoints)
        }
    }

    /** A split's records, then its report; the Sluice reader is closed when they run out. */
    static final class Records implements Iterator<Object> {
        private final int index;
        private final Source<?> source;
        private final dev.sluice.spi.Split part;
        private final RunState run;
        private final java.util.ArrayDeque<Object> letters = new java.util.ArrayDeque<>();
        private SourceReader<?> reader;
        private Object next;
        private boolean reported;

        Records(int index, Source<?> source, dev.sluice.spi.Split part, ErrorPolicy policy) {
            this.index = index;
            this.source = source;
            this.part = part;
            // rejections are counted here, then reported; dead letters go down the stream before the next record
            this.run =
                    new RunState(DeadLetters.local(policy, r -> letters.add(new DeadLetters.Letter(r))), source.name());
            this.next = new Parts.Start(index); // the split's number comes first
        }

        @Override
        public boolean hasNext() {
            if (next != null || !letters.isEmpty()) {
                return true;
            }
            if (reported) {
                return false;
            }
            try {
                if (reader == null) {
                    reader = part == null
                            ? source.open(run)
                            : ((dev.sluice.spi.SplittableSource<?>) source).openSplit(run, part, -1);
                }
                next = reader.next();
                if (next == null) {
                    reader.close();
                    next = new SourceReport(index, run.rejected(), new ArrayList<>(run.firstRejections()));
                    reported = true;
                }
            } catch (RuntimeException e) {
                closeQuietly();
                throw e;
            } catch (Exception e) {
                closeQuietly();
                throw new dev.sluice.SluiceException(
                        source.name() + (part == null ? "" : " (" + part + ")") + ": " + e.getMessage(), e);
            }
            return true;
        }

        private void closeQuietly() {
            try {
                if (reader != null) {
                    reader.close();
                }
            } catch (Exception ignored) {
                // the first failure is the one reported
            }
        }

        @Override
        public Object next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            if (!letters.isEmpty() && !(next instanceof Parts.Start)) { // a split's number stays first
                return letters.poll();
            }
            Object r = next;
            next = null;
            return r;
        }
    }

    @Override
    public Boundedness getBoundedness() {
        return bounded ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public TypeInformation<Object> getProducedType() {
        return RecordType.INSTANCE;
    }

    @Override
    public org.apache.flink.api.connector.source.SourceReader<Object, Split> createReader(SourceReaderContext ctx) {
        return bounded ? new IteratorSourceReader<>(ctx) : new StreamReader(ctx);
    }

    /**
     * The reader of an endless source (a followed file, a socket): the Sluice reader runs on a thread of its own,
     * since it waits for data, and hands records with its position after each to a small queue; the task takes them
     * without waiting ({@link #isAvailable}). A checkpoint saves the position after the last record taken as the
     * split's state, from which a restart after a failure opens the source again: nothing read twice, nothing lost.
     */
    static final class StreamReader implements org.apache.flink.api.connector.source.SourceReader<Object, Split> {
        private record End(int split) {}

        private record Item(int split, Object record, dev.sluice.Position position) {}

        private final SourceReaderContext ctx;
        private final java.util.concurrent.ArrayBlockingQueue<Object> queue =
                new java.util.concurrent.ArrayBlockingQueue<>(1024);
        private final List<Thread> threads = new ArrayList<>();
        private final List<SourceReader<?>> readers = new ArrayList<>();
        private final java.util.Map<Integer, Split> current = new java.util.LinkedHashMap<>();
        private final Object lock = new Object();
        private java.util.concurrent.CompletableFuture<Void> available;
        private volatile boolean closed;
        private volatile Throwable failure;
        private int open;
        private boolean noMore;

        StreamReader(SourceReaderContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void start() {
            ctx.sendSplitRequest();
        }

        @Override
        public void addSplits(List<Split> splits) {
            for (Split sp : splits) {
                current.put(sp.index, sp);
                open++;
                Thread t = new Thread(() -> read(sp), "sluice-source(" + sp + ")");
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        /** Reads one split on its own thread into the queue. */
        private void read(Split sp) {
            RunState run =
                    new RunState(DeadLetters.local(sp.policy, r -> offer(new DeadLetters.Letter(r))), sp.source.name());
            SourceReader<?> r = null;
            try {
                r = sp.position == null ? sp.source.open(run) : sp.source.open(run, sp.position);
                synchronized (readers) {
                    if (closed) {
                        r.close();
                        return;
                    }
                    readers.add(r);
                }
                offer(new Parts.Start(sp.index));
                Object t;
                while (!closed && (t = r.next()) != null) {
                    offer(new Item(sp.index, t, r.position()));
                }
                if (!closed) {
                    offer(new SourceReport(sp.index, run.rejected(), new ArrayList<>(run.firstRejections())));
                    offer(new End(sp.index));
                }
            } catch (InterruptedException e) {
                // closed
            } catch (Throwable e) {
                if (!closed) {
                    failure = e;
                    signal();
                }
            }
        }

        private void offer(Object o) {
            try {
                queue.put(o);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new dev.sluice.SluiceException("the source was closed", e);
            }
            signal();
        }

        private void signal() {
            synchronized (lock) {
                if (available != null) {
                    available.complete(null);
                    available = null;
                }
            }
        }

        @Override
        public org.apache.flink.core.io.InputStatus pollNext(
                org.apache.flink.api.connector.source.ReaderOutput<Object> output) throws Exception {
            Throwable f = failure;
            if (f != null) {
                throw f instanceof Exception e ? e : new RuntimeException(f);
            }
            Object o = queue.poll();
            if (o == null) {
                return open == 0 && noMore
                        ? org.apache.flink.core.io.InputStatus.END_OF_INPUT
                        : org.apache.flink.core.io.InputStatus.NOTHING_AVAILABLE;
            }
            if (o instanceof End e) {
                open--;
                current.remove(e.split());
                ctx.sendSplitRequest(); // none is left: the enumerator answers that there are no more
            } else if (o instanceof Item it) {
                output.collect(it.record());
                Split sp = current.get(it.split());
                if (sp != null) {
                    current.put(it.split(), sp.at(it.position()));
                }
            } else {
                output.collect(o);
            }
            return org.apache.flink.core.io.InputStatus.MORE_AVAILABLE;
        }

        @Override
        public List<Split> snapshotState(long checkpointId) {
            return new ArrayList<>(current.values());
        }

        @Override
        public java.util.concurrent.CompletableFuture<Void> isAvailable() {
            synchronized (lock) {
                if (!queue.isEmpty() || failure != null || (open == 0 && noMore)) {
                    return java.util.concurrent.CompletableFuture.completedFuture(null);
                }
                if (available == null) {
                    available = new java.util.concurrent.CompletableFuture<>();
                }
                return available;
            }
        }

        @Override
        public void notifyNoMoreSplits() {
            noMore = true;
            signal();
        }

        @Override
        public void close() throws Exception {
            closed = true;
            for (Thread t : threads) {
                t.interrupt();
            }
            for (Thread t : threads) {
                t.join(2000);
            }
            synchronized (readers) {
                for (SourceReader<?> r : readers) {
                    try {
                        r.close();
                    } catch (Exception e) {
                        // closing anyway
                    }
                }
            }
        }
    }

    @Override
    public SplitEnumerator<Split, Collection<Split>> createEnumerator(SplitEnumeratorContext<Split> ctx) {
        return new IteratorSourceEnumerator<>(ctx, splits);
    }

    @Override
    public SplitEnumerator<Split, Collection<Split>> restoreEnumerator(
            SplitEnumeratorContext<Split> ctx, Collection<Split> remaining) {
        return new IteratorSourceEnumerator<>(ctx, remaining);
    }

    @Override
    public SimpleVersionedSerializer<Split> getSplitSerializer() {
        return new JavaSerializer<>();
    }

    @Override
    public SimpleVersionedSerializer<Collection<Split>> getEnumeratorCheckpointSerializer() {
        return new JavaSerializer<>();
    }

    /** Splits and enumerator checkpoints by Java serialization (a Sluice source is Serializable). */
    static final class JavaSerializer<X> implements SimpleVersionedSerializer<X> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(X obj) throws IOException {
            return InstantiationUtil.serializeObject(obj instanceof Collection<?> c ? new ArrayList<>(c) : obj);
        }

        @Override
        @SuppressWarnings("unchecked")
        public X deserialize(int version, byte[] bytes) throws IOException {
            try {
                return (X) InstantiationUtil.deserializeObject(
                        bytes, Thread.currentThread().getContextClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IOException(e);
            }
        }
    }
}
