package dev.sluice.internal.spill;

import dev.sluice.SluiceException;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Internal: sorts entries of {@code [key][payload]} bytes by their keys (unsigned, byte by byte) under a memory
 * budget, spilling sorted runs to files and merging them. Entries live in pages the budget accounts exactly (and
 * an index of two longs an entry: the key's first 8 bytes and where the entry is); nothing else grows with the
 * input. Keys must be distinct (a sort appends each entry's arrival number, which also makes it stable).
 *
 * <p>Past the budget, the entries held are sorted (unless they arrived in order) and written as one run file of
 * {@code [key length][payload length][key][payload]} entries. At the end the runs are merged with at most a
 * bounded number of files open at once (more passes when there are more runs); runs that do not overlap, as from
 * input that was already sorted, are read one after another without a merge.
 */
public final class ExternalSorter implements AutoCloseable {
    private static final int ENTRY_HEADER = 8;

    private final String name;
    private final MemoryBudget budget;
    private final long ownLimit;
    private final SpillDir dir;
    private final int pageSize;
    private final int readBuffer;
    private final int maxFanIn;

    private final List<byte[]> pages = new ArrayList<>();
    private int current = -1;
    private int used;
    private long[] prefix = new long[0];
    private long[] ptr = new long[0];
    private int count;
    private boolean inOrder = true;

    private long reserved;
    private long peak;
    private long spilled;
    private final List<Run> runs = new ArrayList<>();
    private boolean closed;

    /** A run file and what it holds. */
    private record Run(Path file, long bytes, long entries, byte[] firstKey, byte[] lastKey, int maxEntry) {}

    /**
     * @param name the operator, for messages and file names
     * @param budget the run's budget
     * @param ownLimit this operator's own cap within it (0: none)
     * @param dir where runs are written
     */
    public ExternalSorter(String name, MemoryBudget budget, long ownLimit, SpillDir dir) {
        this.name = name;
        this.budget = budget;
        this.ownLimit = ownLimit;
        this.dir = dir;
        long effective = effectiveLimit();
        this.pageSize = (int) Math.max(4 << 10, Math.min(1 << 20, effective / 16));
        this.readBuffer = (int) Math.max(4 << 10, Math.min(256 << 10, effective / 32));
        this.maxFanIn = (int) Math.max(2, Math.min(128, effective / 2 / readBuffer));
    }

    /** The most this sorter may hold: its own cap, or the run's budget. */
    public long effectiveLimit() {
        return ownLimit > 0 ? Math.min(ownLimit, budget.limit()) : budget.limit();
    }

    public long spilledBytes() {
        return spilled;
    }

    public long peakBytes() {
        return peak;
    }

    private boolean reserve(long n) {
        if (ownLimit > 0 && reserved + n > ownLimit) {
            return false;
        }
        if (!budget.tryReserve(n)) {
            return false;
        }
        reserved += n;
        peak = Math.max(peak, reserved);
        return true;
    }

    private void release(long n) {
        budget.release(n);
        reserved -= n;
    }

    private SluiceException tooSmall(long needed) {
        return new SluiceException(String.format(
                "%s: a record of %s does not fit in its memory budget of %s (%s held by other operators): raise the "
                        + "budget (--memory, LocalRunner.withMemory, or budget(bytes) on the operator)",
                name,
                MemoryBudget.format(needed),
                MemoryBudget.format(effectiveLimit()),
                MemoryBudget.format(budget.used() - reserved)));
    }

    /** Adds one entry: {@code key[0..klen)} and {@code payload[0..plen)}. */
    public void add(byte[] key, int klen, byte[] payload, int plen) {
        add(key, 0, klen, payload, 0, plen);
    }

    /** Adds one entry: {@code key[koff..koff+klen)} and {@code payload[poff..poff+plen)}. */
    public void add(byte[] key, int koff, int klen, byte[] payload, int poff, int plen) {
        int need = ENTRY_HEADER + klen + plen;
        if (count == prefix.length && !growIndex()) {
            spill();
            if (count == prefix.length && !growIndex()) {
                throw tooSmall(16L * Math.max(1024, prefix.length));
            }
        }
        int page;
        int off;
        if (need > pageSize) {
            // a large entry gets a page of its own, of its size
            if (!reserve(need)) {
                spill();
                if (!reserve(need)) {
                    throw tooSmall(need);
                }
            }
            pages.add(new byte[need]);
            page = pages.size() - 1;
            off = 0;
        } else {
            if (current < 0 || used + need > pageSize) {
                if (!reserve(pageSize)) {
                    spill();
                    if (!reserve(pageSize)) {
                        throw tooSmall(pageSize);
                    }
                }
                pages.add(new byte[pageSize]);
                current = pages.size() - 1;
                used = 0;
            }
            page = current;
            off = used;
            used += need;
        }
        byte[] p = pages.get(page);
        putInt(p, off, klen);
        putInt(p, off + 4, plen);
        System.arraycopy(key, koff, p, off + ENTRY_HEADER, klen);
        System.arraycopy(payload, poff, p, off + ENTRY_HEADER + klen, plen);
        prefix[count] = prefixOf(key, koff, klen);
        ptr[count] = ((long) page << 32) | off;
        if (inOrder && count > 0 && compare(count - 1, count) > 0) {
            inOrder = false;
        }
        count++;
    }

    private boolean growIndex() {
        int n = Math.max(1024, prefix.length * 2);
        long more = 16L * (n - prefix.length);
        if (!reserve(more)) {
            return false;
        }
        prefix = Arrays.copyOf(prefix, n);
        ptr = Arrays.copyOf(ptr, n);
        return true;
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static int getInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    static long prefixOf(byte[] k, int off, int len) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (i < len ? k[off + i] & 0xFF : 0);
        }
        return v;
    }

    /** Compares the keys of index entries {@code i} and {@code j}. */
    private int compare(int i, int j) {
        int c = Long.compareUnsigned(prefix[i], prefix[j]);
        if (c != 0) {
            return c;
        }
        return compareFull(ptr[i], ptr[j]);
    }

    private int compareFull(long pi, long pj) {
        byte[] a = pages.get((int) (pi >>> 32));
        int ao = (int) pi;
        byte[] b = pages.get((int) (pj >>> 32));
        int bo = (int) pj;
        return Arrays.compareUnsigned(
                a,
                ao + ENTRY_HEADER,
                ao + ENTRY_HEADER + getInt(a, ao),
                b,
                bo + ENTRY_HEADER,
                bo + ENTRY_HEADER + getInt(b, bo));
    }

    // ---- in-memory sort: a quicksort on the index (keys are distinct) -------------------------------------------

    private void sortIndex() {
        if (!inOrder) {
            quicksort(0, count - 1);
            inOrder = true;
        }
    }

    private void quicksort(int lo, int hi) {
        while (hi - lo > 16) {
            int mid = (lo + hi) >>> 1;
            // median of three to the middle
            if (compare(mid, lo) < 0) {
                swap(mid, lo);
            }
            if (compare(hi, lo) < 0) {
                swap(hi, lo);
            }
            if (compare(hi, mid) < 0) {
                swap(hi, mid);
            }
            swap(mid, hi - 1);
            int pivot = hi - 1;
            int i = lo;
            int j = hi - 1;
            while (true) {
                while (compare(++i, pivot) < 0) {}
                while (compare(--j, pivot) > 0) {}
                if (i >= j) {
                    break;
                }
                swap(i, j);
            }
            swap(i, hi - 1);
            if (i - lo < hi - i) {
                quicksort(lo, i - 1);
                lo = i + 1;
            } else {
                quicksort(i + 1, hi);
                hi = i - 1;
            }
        }
        for (int i = lo + 1; i <= hi; i++) {
            for (int j = i; j > lo && compare(j - 1, j) > 0; j--) {
                swap(j - 1, j);
            }
        }
    }

    private void swap(int i, int j) {
        long p = prefix[i];
        prefix[i] = prefix[j];
        prefix[j] = p;
        long q = ptr[i];
        ptr[i] = ptr[j];
        ptr[j] = q;
    }

    // ---- spilling -----------------------------------------------------------------------------------------------

    /** Sorts what is held, writes it as a run file and frees its pages. */
    private void spill() {
        if (count == 0) {
            return;
        }
        sortIndex();
        Path file = dir.newFile(name);
        long bytes = 0;
        byte[] first = null;
        byte[] last = null;
        Bytes head = new Bytes(16);
        int maxEntry = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (int i = 0; i < count; i++) {
                long pi = ptr[i];
                byte[] p = pages.get((int) (pi >>> 32));
                int o = (int) pi;
                int klen = getInt(p, o);
                int plen = getInt(p, o + 4);
                head.reset();
                head.writeVarLong(klen);
                head.writeVarLong(plen);
                out.write(head.array(), 0, head.length());
                out.write(p, o + ENTRY_HEADER, klen + plen);
                bytes += head.length() + klen + plen;
                maxEntry = Math.max(maxEntry, klen + plen);
                if (i == 0) {
                    first = Arrays.copyOfRange(p, o + ENTRY_HEADER, o + ENTRY_HEADER + klen);
                }
                if (i == count - 1) {
                    last = Arrays.copyOfRange(p, o + ENTRY_HEADER, o + ENTRY_HEADER + klen);
                }
            }
        } catch (IOException e) {
            SpillDir.delete(file);
            throw new UncheckedIOException(
                    name + ": writing a spill file in " + dir.parent() + " failed: " + e.getMessage(), e);
        }
        dir.charge(bytes, name, effectiveLimit());
        spilled += bytes;
        runs.add(new Run(file, bytes, count, first, last, maxEntry));
        freePages();
        count = 0;
        inOrder = true;
    }

    private void freePages() {
        long n = 0;
        for (byte[] p : pages) {
            n += p.length;
        }
        pages.clear();
        current = -1;
        used = 0;
        release(n);
    }

    /**
     * Writes a run directly, for an operator that holds its entries in its own structure (a group-by's hash table):
     * entries must be written in key order; equal keys may recur in other runs. Closing it adds the run.
     */
    public RunWriter newRun() {
        return new RunWriter();
    }

    /** A run being written; see {@link #newRun()}. */
    public final class RunWriter implements AutoCloseable {
        private final Path file = dir.newFile(name);
        private final OutputStream out;
        private final Bytes head = new Bytes(16);
        private long bytes;
        private long entries;
        private byte[] first;
        private byte[] lastKey;
        private int lastLen;
        private int maxEntry;
        private boolean done;

        RunWriter() {
            try {
                out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            } catch (IOException e) {
                SpillDir.delete(file);
                throw new UncheckedIOException(
                        name + ": cannot write a spill file in " + dir.parent() + ": " + e.getMessage(), e);
            }
        }

        public void write(byte[] key, int klen, byte[] payload, int plen) {
            try {
                head.reset();
                head.writeVarLong(klen);
                head.writeVarLong(plen);
                out.write(head.array(), 0, head.length());
                out.write(key, 0, klen);
                out.write(payload, 0, plen);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        name + ": writing a spill file in " + dir.parent() + " failed: " + e.getMessage(), e);
            }
            bytes += head.length() + klen + plen;
            maxEntry = Math.max(maxEntry, klen + plen);
            if (entries++ == 0) {
                first = Arrays.copyOf(key, klen);
            }
            if (lastKey == null || lastKey.length < klen) {
                lastKey = new byte[Math.max(klen, 32)];
            }
            System.arraycopy(key, 0, lastKey, 0, klen);
            lastLen = klen;
        }

        @Override
        public void close() {
            if (done) {
                return;
            }
            done = true;
            try {
                out.close();
            } catch (IOException e) {
                SpillDir.delete(file);
                throw new UncheckedIOException(
                        name + ": writing a spill file in " + dir.parent() + " failed: " + e.getMessage(), e);
            }
            if (entries == 0) {
                SpillDir.delete(file);
                return;
            }
            dir.charge(bytes, name, effectiveLimit());
            spilled += bytes;
            runs.add(new Run(file, bytes, entries, first, Arrays.copyOf(lastKey, lastLen), maxEntry));
        }
    }

    /** Whether any run has been written. */
    public boolean spilledAny() {
        return !runs.isEmpty();
    }

    // ---- reading the result ------------------------------------------------------------------------------------

    /** Entries in key order: {@link #next()} moves to the next one, whose key and payload are then readable. */
    public interface Cursor extends AutoCloseable {
        boolean next();

        byte[] array();

        int keyOffset();

        int keyLength();

        int payloadOffset();

        int payloadLength();

        @Override
        void close();
    }

    /** Ends the input: the entries in key order. Close the cursor (or this sorter) to free what it holds. */
    public Cursor finish() {
        if (runs.isEmpty()) {
            sortIndex();
            return new MemoryCursor();
        }
        spill();
        releaseIndex();
        int maxEntry = 0;
        for (Run r : runs) {
            maxEntry = Math.max(maxEntry, r.maxEntry());
        }
        // each open run holds a read buffer and room for its largest entry
        long free = effectiveLimit() - reserved;
        int fanIn = (int) Math.max(2, Math.min(Math.min(maxFanIn, runs.size()), free / (readBuffer + maxEntry)));
        while (runs.size() > fanIn) {
            List<Run> group = new ArrayList<>(runs.subList(0, fanIn));
            runs.subList(0, fanIn).clear();
            runs.add(mergeToFile(group));
        }
        List<Run> all = new ArrayList<>(runs);
        runs.clear();
        return disjoint(all) ? new ConcatCursor(all) : new MergeCursor(all);
    }

    private void releaseIndex() {
        long n = 16L * prefix.length;
        prefix = new long[0];
        ptr = new long[0];
        release(n);
    }

    private static boolean disjoint(List<Run> rs) {
        for (int i = 1; i < rs.size(); i++) {
            byte[] a = rs.get(i - 1).lastKey();
            byte[] b = rs.get(i).firstKey();
            if (Arrays.compareUnsigned(a, b) > 0) {
                return false;
            }
        }
        return true;
    }

    private Run mergeToFile(List<Run> group) {
        Path file = dir.newFile(name);
        long bytes = 0;
        long entries = 0;
        byte[] first = null;
        byte[] last = null;
        Bytes head = new Bytes(16);
        int maxEntry = 0;
        try (Cursor c = disjoint(group) ? new ConcatCursor(group) : new MergeCursor(group);
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            while (c.next()) {
                head.reset();
                head.writeVarLong(c.keyLength());
                head.writeVarLong(c.payloadLength());
                out.write(head.array(), 0, head.length());
                out.write(c.array(), c.keyOffset(), c.keyLength());
                out.write(c.array(), c.payloadOffset(), c.payloadLength());
                bytes += head.length() + c.keyLength() + c.payloadLength();
                maxEntry = Math.max(maxEntry, c.keyLength() + c.payloadLength());
                if (entries++ == 0) {
                    first = Arrays.copyOfRange(c.array(), c.keyOffset(), c.keyOffset() + c.keyLength());
                }
                last = Arrays.copyOfRange(c.array(), c.keyOffset(), c.keyOffset() + c.keyLength());
            }
        } catch (IOException e) {
            SpillDir.delete(file);
            throw new UncheckedIOException(
                    name + ": merging spill files in " + dir.parent() + " failed: " + e.getMessage(), e);
        }
        dir.charge(bytes, name, effectiveLimit());
        spilled += bytes;
        return new Run(file, bytes, entries, first, last, maxEntry);
    }

    /** The held entries, in index order. */
    private final class MemoryCursor implements Cursor {
        private int i = -1;
        private byte[] page;
        private int off;

        @Override
        public boolean next() {
            if (++i >= count) {
                close();
                return false;
            }
            long p = ptr[i];
            page = pages.get((int) (p >>> 32));
            off = (int) p;
            return true;
        }

        @Override
        public byte[] array() {
            return page;
        }

        @Override
        public int keyOffset() {
            return off + ENTRY_HEADER;
        }

        @Override
        public int keyLength() {
            return getInt(page, off);
        }

        @Override
        public int payloadOffset() {
            return off + ENTRY_HEADER + getInt(page, off);
        }

        @Override
        public int payloadLength() {
            return getInt(page, off + 4);
        }

        @Override
        public void close() {
            ExternalSorter.this.close();
        }
    }

    /** Reads one run file, entry by entry, through a buffer the budget accounts. */
    private final class RunReader implements AutoCloseable {
        final Run run;
        final InputStream in;
        final byte[] buf;
        int pos;
        int lim;
        byte[] entry;
        int klen;
        int plen;
        long accounted;

        RunReader(Run run) throws IOException {
            this.run = run;
            long need = (long) readBuffer + run.maxEntry();
            if (!reserve(need)) {
                throw tooSmall(need);
            }
            accounted = need;
            this.buf = new byte[readBuffer];
            this.entry = new byte[Math.max(16, run.maxEntry())];
            this.in = Files.newInputStream(run.file());
        }

        private int readByte() throws IOException {
            if (pos == lim) {
                lim = in.read(buf, 0, buf.length);
                pos = 0;
                if (lim <= 0) {
                    lim = 0;
                    return -1;
                }
            }
            return buf[pos++] & 0xFF;
        }

        private int readVar() throws IOException {
            int v = 0;
            int shift = 0;
            while (true) {
                int b = readByte();
                if (b < 0) {
                    throw new EOFException("a spill file of " + name + " ends early: " + run.file());
                }
                v |= (b & 0x7F) << shift;
                if (b < 0x80) {
                    return v;
                }
                shift += 7;
            }
        }

        /** Reads the next entry into {@link #entry}; false at the end of the run. */
        boolean advance() throws IOException {
            int first = readByte();
            if (first < 0) {
                return false;
            }
            pos--; // let readVar read it again
            klen = readVar();
            plen = readVar();
            int n = klen + plen;
            if (n > entry.length) {
                throw new IllegalStateException("a spill file of " + name + " holds an entry larger than it said");
            }
            int at = 0;
            while (at < n) {
                if (pos == lim) {
                    lim = in.read(buf, 0, buf.length);
                    pos = 0;
                    if (lim <= 0) {
                        lim = 0;
                        throw new EOFException("a spill file of " + name + " ends early: " + run.file());
                    }
                }
                int k = Math.min(n - at, lim - pos);
                System.arraycopy(buf, pos, entry, at, k);
                pos += k;
                at += k;
            }
            return true;
        }

        private boolean done;

        @Override
        public void close() {
            if (done) {
                return;
            }
            done = true;
            try {
                in.close();
            } catch (IOException e) {
                // read to the end or abandoned; the file is deleted next
            }
            release(accounted);
            accounted = 0;
            SpillDir.delete(run.file());
            dir.refund(run.bytes());
        }
    }

    /** A cursor whose entry is the one a run reader holds. */
    private abstract class ReaderCursor implements Cursor {
        /** The reader holding the current entry. */
        abstract RunReader current();

        @Override
        public byte[] array() {
            return current().entry;
        }

        @Override
        public int keyOffset() {
            return 0;
        }

        @Override
        public int keyLength() {
            return current().klen;
        }

        @Override
        public int payloadOffset() {
            return current().klen;
        }

        @Override
        public int payloadLength() {
            return current().plen;
        }
    }

    /** Runs read one after another: they do not overlap. */
    private final class ConcatCursor extends ReaderCursor {
        private final List<Run> rs;
        private int next;
        private RunReader r;

        ConcatCursor(List<Run> rs) {
            this.rs = rs;
        }

        @Override
        public boolean next() {
            try {
                while (true) {
                    if (r != null && r.advance()) {
                        return true;
                    }
                    if (r != null) {
                        r.close();
                        r = null;
                    }
                    if (next >= rs.size()) {
                        return false;
                    }
                    r = new RunReader(rs.get(next++));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(name + ": reading a spill file failed: " + e.getMessage(), e);
            }
        }

        @Override
        RunReader current() {
            return r;
        }

        @Override
        public void close() {
            if (r != null) {
                r.close();
                r = null;
            }
            while (next < rs.size()) {
                Run run = rs.get(next++);
                SpillDir.delete(run.file());
                dir.refund(run.bytes());
            }
        }
    }

    /** A k-way merge of runs through a binary heap of readers ordered by their current keys. */
    private final class MergeCursor extends ReaderCursor {
        private final List<RunReader> readers = new ArrayList<>();
        private RunReader[] heap;
        private int size;
        private RunReader top;
        private boolean started;

        MergeCursor(List<Run> rs) {
            try {
                for (Run run : rs) {
                    readers.add(new RunReader(run));
                }
                heap = new RunReader[readers.size()];
                for (RunReader r : readers) {
                    if (r.advance()) {
                        heap[size++] = r;
                        up(size - 1);
                    }
                }
            } catch (IOException | RuntimeException e) {
                close();
                if (e instanceof IOException io) {
                    throw new UncheckedIOException(name + ": reading a spill file failed: " + e.getMessage(), io);
                }
                throw (RuntimeException) e;
            }
        }

        private int cmp(RunReader a, RunReader b) {
            return Arrays.compareUnsigned(a.entry, 0, a.klen, b.entry, 0, b.klen);
        }

        private void up(int i) {
            while (i > 0) {
                int p = (i - 1) >>> 1;
                if (cmp(heap[i], heap[p]) >= 0) {
                    return;
                }
                RunReader t = heap[i];
                heap[i] = heap[p];
                heap[p] = t;
                i = p;
            }
        }

        private void down(int i) {
            while (true) {
                int l = 2 * i + 1;
                if (l >= size) {
                    return;
                }
                int m = l + 1 < size && cmp(heap[l + 1], heap[l]) < 0 ? l + 1 : l;
                if (cmp(heap[m], heap[i]) >= 0) {
                    return;
                }
                RunReader t = heap[i];
                heap[i] = heap[m];
                heap[m] = t;
                i = m;
            }
        }

        @Override
        public boolean next() {
            try {
                if (started && top != null) {
                    // the entry handed out last: move its reader on and restore the heap
                    if (top.advance()) {
                        down(0);
                    } else {
                        heap[0] = heap[--size];
                        heap[size] = null;
                        if (size > 0) {
                            down(0);
                        }
                    }
                }
                started = true;
                if (size == 0) {
                    top = null;
                    close();
                    return false;
                }
                top = heap[0];
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(name + ": reading a spill file failed: " + e.getMessage(), e);
            }
        }

        @Override
        RunReader current() {
            return top;
        }

        @Override
        public void close() {
            for (RunReader r : readers) {
                r.close();
            }
            readers.clear();
            size = 0;
        }
    }

    /** Frees every page, buffer and spill file this sorter holds. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        freePages();
        releaseIndex();
        for (Run r : runs) {
            SpillDir.delete(r.file());
            dir.refund(r.bytes());
        }
        runs.clear();
    }
}
