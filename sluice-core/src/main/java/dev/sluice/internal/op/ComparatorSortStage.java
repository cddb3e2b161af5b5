package dev.sluice.internal.op;

import dev.sluice.MemoryClass;
import dev.sluice.SluiceException;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;
import dev.sluice.internal.spill.Bytes;
import dev.sluice.internal.spill.EntryFile;
import dev.sluice.internal.spill.MemoryBudget;
import dev.sluice.internal.spill.RecordCodec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * {@code sortBy(comparator)}: any records in the order of a user's comparator, stable. Records are held as objects,
 * counted against the budget by their encoded size (plus a fixed overhead); past it, they are sorted (stably) and
 * written as a run, encoded by the {@link RecordCodec} (records by their components, other types by value or Java
 * serialization); at the end the runs are merged by the comparator, ties going to the earlier run.
 */
public final class ComparatorSortStage extends Stage {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // the user's comparator, serializable with the plan when it is
    private final Comparator<Object> comparator;

    @SuppressWarnings("unchecked")
    public ComparatorSortStage(Stage up, Comparator<?> comparator) {
        super(List.of(up), "sort", "sort");
        this.comparator = (Comparator<Object>) comparator;
    }

    @Override
    public String describe() {
        return "sort by a comparator, stable; memory the run's budget, spills to the temp directory";
    }

    @Override
    public MemoryClass memoryClass() {
        return MemoryClass.BLOCKING;
    }

    @Override
    public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
        return new Link(down, comparator, stats, run);
    }

    static final class Link extends Downstream.Link {
        private static final int OVERHEAD = 48;
        private static final int MAX_FAN_IN = 64;

        private final Comparator<Object> cmp;
        private final StageStats stats;
        private final RunState run;
        private final String name;
        private final RecordCodec codec;
        private final MemoryBudget budget;
        private final long share;
        private final Bytes scratch = new Bytes(256);
        private List<Object> held = new ArrayList<>();
        private long bytes;
        private final List<EntryFile> runs = new ArrayList<>();
        private java.util.Iterator<Object> output;
        private Merge merge;
        private boolean finished;

        Link(Downstream<Object> down, Comparator<Object> cmp, StageStats stats, RunState run) {
            super(down);
            this.cmp = cmp;
            this.stats = stats;
            this.run = run;
            this.name = stats.name.equals("sort") ? "sort" : "sort '" + stats.name + "'";
            this.codec = new RecordCodec(name, run.codecs());
            this.budget = run.memory();
            this.share = run.memoryShare();
        }

        private long size(Object t) {
            scratch.reset();
            codec.write(t, scratch);
            return scratch.length() + OVERHEAD;
        }

        @Override
        public void push(Object t) {
            stats.in++;
            long n = size(t);
            if (bytes + n > share || !budget.tryReserve(n)) {
                spill();
                if (n > share || !budget.tryReserve(n)) {
                    throw new SluiceException(name + ": a record of " + MemoryBudget.format(n)
                            + " does not fit in its memory budget of " + MemoryBudget.format(share));
                }
            }
            bytes += n;
            stats.peakMemory = Math.max(stats.peakMemory, bytes);
            held.add(t);
        }

        private void sortHeld() {
            try {
                held.sort(cmp); // stable
            } catch (RuntimeException e) {
                throw new SluiceException(name + ": the comparator failed: " + e.getMessage(), e);
            }
        }

        private void spill() {
            if (held.isEmpty()) {
                return;
            }
            sortHeld();
            EntryFile f = new EntryFile(run.spillDir(), name, share);
            for (Object t : held) {
                scratch.reset();
                codec.write(t, scratch);
                f.write(scratch.array(), 0, 0, scratch.array(), 0, scratch.length());
            }
            f.finishWriting();
            stats.spilled += f.bytes();
            runs.add(f);
            held = new ArrayList<>();
            budget.release(bytes);
            bytes = 0;
        }

        /** A stable k-way merge of runs: ties go to the earlier run. */
        private final class Merge implements java.util.Iterator<Object>, AutoCloseable {
            private final List<EntryFile> files;
            private final List<EntryFile.Reader> readers = new ArrayList<>();
            private final PriorityQueue<Object[]> heap;
            private final Bytes.Reader in = new Bytes.Reader();

            Merge(List<EntryFile> files) {
                this.files = files;
                this.heap = new PriorityQueue<>((a, b) -> {
                    int c = cmp.compare(a[0], b[0]);
                    return c != 0 ? c : Integer.compare((Integer) a[1], (Integer) b[1]);
                });
                for (int i = 0; i < files.size(); i++) {
                    EntryFile.Reader r = files.get(i).read();
                    readers.add(r);
                    advance(i);
                }
            }

            private void advance(int i) {
                EntryFile.Reader r = readers.get(i);
                if (r.next()) {
                    in.reset(r.array(), r.payloadOffset(), r.payloadLength());
                    heap.add(new Object[] {codec.read(in), i});
                }
            }

            @Override
            public boolean hasNext() {
                return !heap.isEmpty();
            }

            @Override
            public Object next() {
                Object[] top = heap.poll();
                advance((Integer) top[1]);
                return top[0];
            }

            @Override
            public void close() {
                for (EntryFile.Reader r : readers) {
                    r.close();
                }
                for (EntryFile f : files) {
                    f.close();
                }
            }
        }

        @Override
        public void finish() {
            finished = true;
            if (runs.isEmpty()) {
                sortHeld();
                output = held.iterator();
            } else {
                spill();
                while (runs.size() > MAX_FAN_IN) { // merge the first runs into one, in order, until few enough
                    List<EntryFile> group = new ArrayList<>(runs.subList(0, MAX_FAN_IN));
                    runs.subList(0, MAX_FAN_IN).clear();
                    EntryFile f = new EntryFile(run.spillDir(), name, share);
                    try (Merge m = new Merge(group)) {
                        while (m.hasNext()) {
                            scratch.reset();
                            codec.write(m.next(), scratch);
                            f.write(scratch.array(), 0, 0, scratch.array(), 0, scratch.length());
                        }
                    }
                    f.finishWriting();
                    stats.spilled += f.bytes();
                    runs.add(0, f); // its records came first: it stays first, for stability
                }
                merge = new Merge(new ArrayList<>(runs));
                runs.clear();
                output = merge;
            }
            emit();
        }

        private void emit() {
            while (output != null && !run.dead(stats.position)) {
                if (down.full()) {
                    return;
                }
                if (!output.hasNext()) {
                    close();
                    down.finish();
                    return;
                }
                stats.out++;
                down.push(output.next());
            }
            close();
        }

        private void close() {
            output = null;
            if (merge != null) {
                merge.close();
                merge = null;
            }
            for (EntryFile f : runs) {
                f.close();
            }
            runs.clear();
            held = new ArrayList<>();
            if (bytes > 0) {
                budget.release(bytes);
                bytes = 0;
            }
        }

        @Override
        public boolean resume() {
            if (down.resume()) {
                return true;
            }
            if (!finished || output == null) {
                return false;
            }
            emit();
            return true;
        }

        @Override
        public void abandon() {
            close();
            down.abandon();
        }
    }
}
