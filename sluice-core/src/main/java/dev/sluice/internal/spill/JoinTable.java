package dev.sluice.internal.spill;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Internal: a hash join's build side in pages the memory budget accounts exactly. Entries {@code [hash][next]
 * [key length][payload length][key][payload]} are appended in arrival order to byte pages; two int arrays hold each
 * bucket's first and last entry, so a key's matches are walked in arrival order. An entry is referred to by an int:
 * its page (high 11 bits) and offset (low 21 bits). Entries without a key (null-keyed rows kept for an outer join)
 * are in the pages, in order, but in no bucket. A few large arrays instead of an object per row: little for the
 * garbage collector to trace.
 */
public final class JoinTable {
    private static final int OFFSET_BITS = 21;
    private static final int MAX_PAGE = 1 << OFFSET_BITS;
    private static final int MAX_PAGES = 1 << (31 - OFFSET_BITS);
    private static final int HEADER = 12; // hash, next, ordinal

    private final MemoryBudget budget;
    private final long limit;
    private final int pageSize;
    private final List<byte[]> pages = new ArrayList<>();
    private int[] used = new int[16];
    private int[] heads = new int[0];
    private int[] tails = new int[0];
    private int mask = -1;
    private int count;
    private int keyed;
    private long held;
    private long peak;
    private long[] matched = new long[0];
    /** The page being filled. */
    private int fill;

    public JoinTable(MemoryBudget budget, long limit) {
        this.budget = budget;
        this.limit = limit;
        this.pageSize = (int) Math.max(16 << 10, Math.min(MAX_PAGE, limit / 16));
    }

    public int size() {
        return count;
    }

    public long peak() {
        return peak;
    }

    private boolean reserve(long n) {
        if (held + n > limit || !budget.tryReserve(n)) {
            return false;
        }
        held += n;
        peak = Math.max(peak, held);
        return true;
    }

    /**
     * Empties the table but keeps its pages and buckets (and their reservation) for the next load: a grace join
     * loads one partition after another.
     */
    public void reset() {
        Arrays.fill(used, 0);
        if (heads.length > 0) {
            Arrays.fill(heads, -1);
        }
        Arrays.fill(matched, 0);
        count = 0;
        keyed = 0;
        fill = 0;
    }

    /** Frees every page and array; the table is empty again. */
    public void clear() {
        fill = 0;
        pages.clear();
        used = new int[16];
        heads = new int[0];
        tails = new int[0];
        matched = new long[0];
        mask = -1;
        count = 0;
        keyed = 0;
        if (held > 0) {
            budget.release(held);
            held = 0;
        }
    }

    public static int hash(byte[] b, int off, int len) {
        int h = 0x811C9DC5;
        for (int i = off; i < off + len; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        return h ^ (h >>> 15);
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

    private static int varLen(int v) {
        return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
    }

    private static int putVar(byte[] b, int off, int v) {
        while ((v & ~0x7F) != 0) {
            b[off++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[off++] = (byte) v;
        return off;
    }

    /**
     * Appends an entry: {@code key} (length 0 for a null-keyed row, kept in order but in no bucket) and its payload.
     * False, with nothing added, if it does not fit the budget.
     */
    public boolean add(byte[] key, int koff, int klen, byte[] payload, int poff, int plen) {
        int need = HEADER + varLen(klen) + varLen(plen) + klen + plen;
        if (klen > 0 && keyed + 1 > heads.length && !grow(Math.max(1024, heads.length * 2))) {
            return false;
        }
        if (((count + 64) >>> 6) > matched.length) {
            int words = Math.max(16, matched.length * 2);
            if (!reserve(8L * (words - matched.length))) {
                return false;
            }
            matched = Arrays.copyOf(matched, words);
        }
        // pages are filled in order; after a reset, the kept ones are filled again before new ones are made
        while (fill < pages.size() && used[fill] + need > pages.get(fill).length && used[fill] > 0) {
            fill++;
        }
        int page;
        if (fill < pages.size() && used[fill] + need <= pages.get(fill).length) {
            page = fill;
        } else {
            int size = Math.max(need, pageSize);
            if (pages.size() >= MAX_PAGES || !reserve(size)) {
                return false;
            }
            pages.add(new byte[size]);
            page = pages.size() - 1;
            if (page >= used.length) {
                used = Arrays.copyOf(used, used.length * 2);
            }
            used[page] = 0;
            fill = page;
        }
        byte[] p = pages.get(page);
        int off = used[page];
        int ref = page << OFFSET_BITS | off;
        int h = klen > 0 ? hash(key, koff, klen) : 0;
        putInt(p, off, h);
        putInt(p, off + 4, -1);
        putInt(p, off + 8, count);
        int at = putVar(p, off + HEADER, klen);
        at = putVar(p, at, plen);
        System.arraycopy(key, koff, p, at, klen);
        System.arraycopy(payload, poff, p, at + klen, plen);
        used[page] = at + klen + plen;
        count++;
        if (klen > 0) {
            link(ref, h);
            keyed++;
        }
        return true;
    }

    private void link(int ref, int h) {
        int b = h & mask;
        if (heads[b] == -1) {
            heads[b] = ref;
        } else {
            int t = tails[b];
            putInt(pages.get(t >>> OFFSET_BITS), (t & (MAX_PAGE - 1)) + 4, ref);
        }
        tails[b] = ref;
    }

    /** Makes {@code n} buckets (load factor 1 at most) and links every keyed entry again, in arrival order. */
    private boolean grow(int n) {
        if (!reserve(8L * (n - heads.length))) {
            return false;
        }
        heads = new int[n];
        tails = new int[n];
        Arrays.fill(heads, -1);
        mask = n - 1;
        for (int page = 0; page < pages.size(); page++) {
            byte[] p = pages.get(page);
            int end = used[page];
            int off = 0;
            while (off < end) {
                putInt(p, off + 4, -1);
                parse(p, off);
                int next = pat + pk + pp;
                if (pk > 0) {
                    link(page << OFFSET_BITS | off, getInt(p, off));
                }
                off = next;
            }
        }
        return true;
    }

    /** What {@link #parse} read: the key length, the payload length, where the key starts. */
    private int pk;

    private int pp;
    private int pat;

    /** Reads the lengths of the entry at {@code off} into {@link #pk}, {@link #pp} and {@link #pat}. */
    private void parse(byte[] p, int off) {
        int at = off + HEADER;
        int v = 0;
        int shift = 0;
        byte b;
        while ((b = p[at++]) < 0) {
            v |= (b & 0x7F) << shift;
            shift += 7;
        }
        pk = v | (b << shift);
        v = 0;
        shift = 0;
        while ((b = p[at++]) < 0) {
            v |= (b & 0x7F) << shift;
            shift += 7;
        }
        pp = v | (b << shift);
        pat = at;
    }

    /** Makes room for {@code n} keyed entries at once (a partition of known size), instead of growing step by step. */
    public boolean presize(long n) {
        int want = Integer.highestOneBit((int) Math.max(1024, Math.min(1 << 30, n)) - 1) << 1;
        return heads.length >= want || grow(want);
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    /** A position over the entries: a key's matches, or all entries in arrival order. */
    public final class Cursor {
        private int ref = -1;
        private byte[] page;
        private int keyAt;
        private int klen;
        private int plen;
        private int ordinal;
        private final byte[] probe;
        private final int probeOff;
        private final int probeLen;
        private final int probeHash;
        // arrival-order walk
        private int walkPage;
        private int walkOff;
        private int walkOrdinal = -1;
        private final boolean walk;

        private Cursor(byte[] key, int off, int len) {
            this.probe = key;
            this.probeOff = off;
            this.probeLen = len;
            this.probeHash = hash(key, off, len);
            this.ref = heads.length == 0 ? -1 : heads[probeHash & mask];
            this.walk = false;
        }

        private Cursor() {
            this.probe = null;
            this.probeOff = 0;
            this.probeLen = 0;
            this.probeHash = 0;
            this.walk = true;
        }

        /** Moves to the next entry (the next match, or the next entry in arrival order); false at the end. */
        public boolean next() {
            if (walk) {
                while (walkPage < pages.size()) {
                    byte[] p = pages.get(walkPage);
                    if (walkOff < used[walkPage]) {
                        parse(p, walkOff);
                        page = p;
                        keyAt = pat;
                        klen = pk;
                        plen = pp;
                        ordinal = ++walkOrdinal;
                        walkOff = keyAt + klen + plen;
                        return true;
                    }
                    walkPage++;
                    walkOff = 0;
                }
                return false;
            }
            while (ref != -1) {
                byte[] p = pages.get(ref >>> OFFSET_BITS);
                int off = ref & (MAX_PAGE - 1);
                ref = getInt(p, off + 4);
                if (getInt(p, off) != probeHash) {
                    continue;
                }
                parse(p, off);
                if (pk == probeLen && Arrays.equals(p, pat, pat + pk, probe, probeOff, probeOff + probeLen)) {
                    page = p;
                    keyAt = pat;
                    klen = pk;
                    plen = pp;
                    ordinal = getInt(p, off + 8);
                    return true;
                }
            }
            return false;
        }

        public byte[] array() {
            return page;
        }

        public int keyOffset() {
            return keyAt;
        }

        public int keyLength() {
            return klen;
        }

        public int payloadOffset() {
            return keyAt + klen;
        }

        public int payloadLength() {
            return plen;
        }

        /** The entry's arrival number, in an arrival-order walk. */
        public int ordinal() {
            return ordinal;
        }
    }

    /** The entries whose key equals {@code key[off..off+len)}, in arrival order. */
    public Cursor matches(byte[] key, int off, int len) {
        return new Cursor(key, off, len);
    }

    /** Every entry, in arrival order, with its ordinal. */
    public Cursor all() {
        return new Cursor();
    }

    /** Marks the entry a cursor is on as matched (for right and full joins). */
    public void markMatched(Cursor c) {
        int ord = c.ordinal;
        matched[ord >>> 6] |= 1L << ord;
    }

    /** Whether the entry numbered {@code ordinal} (in arrival order) has been matched. */
    public boolean isMatched(int ordinal) {
        return (matched[ordinal >>> 6] & (1L << ordinal)) != 0;
    }
}
