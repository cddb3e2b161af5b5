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

    SluiceSource(Source<?> source, ErrorPolicy policy, boolean bounded) {
        this.splits = List.of(new Split("0", source, policy));
        this.bounded = bounded;
    }

    /** One split: a Sluice source read whole, under the plan's error policy. */
    static final class Split implements IteratorSourceSplit<Object, Records>, Serializable {
        private static final long serialVersionUID = 1L;
        private final String id;

        @SuppressWarnings("serial") // a Sluice Source is Serializable
        private final Source<?> source;

        private final ErrorPolicy policy;

        Split(String id, Source<?> source, ErrorPolicy policy) {
            this.id = id;
            this.source = source;
            this.policy = policy;
        }

        @Override
        public String splitId() {
            return id;
        }

        @Override
        public Records getIterator() {
            return new Records(source, policy);
        }

        @Override
        public IteratorSourceSplit<Object, Records> getUpdatedSplitForIterator(Records iterator) {
            return this; // read again from the start after a failure (positions come with checkpoints)
        }
    }

    /** A split's records, then its report; the Sluice reader is closed when they run out. */
    static final class Records implements Iterator<Object> {
        private final Source<?> source;
        private final RunState run;
        private SourceReader<?> reader;
        private Object next;
        private boolean reported;

        Records(Source<?> source, ErrorPolicy policy) {
            this.source = source;
            this.run = new RunState(policy, source.name()); // rejections are counted here, then reported
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (reported) {
                return false;
            }
            try {
                if (reader == null) {
                    reader = source.open(run);
                }
                next = reader.next();
                if (next == null) {
                    reader.close();
                    next = new SourceReport(run.rejected(), new ArrayList<>(run.firstRejections()));
                    reported = true;
                }
            } catch (RuntimeException e) {
                closeQuietly();
                throw e;
            } catch (Exception e) {
                closeQuietly();
                throw new dev.sluice.SluiceException(source.name() + ": " + e.getMessage(), e);
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
        return new IteratorSourceReader<>(ctx);
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
