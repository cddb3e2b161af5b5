package dev.sluice.internal.op;

import java.util.Arrays;

/** Internal: a key's bytes as a hash-table key, hashed and compared by content; and a probe that copies nothing. */
final class HashKey {
    final byte[] bytes;
    final int hash;
    /** The first 8 bytes, big-endian: decides most comparisons when a table is sorted. */
    final long prefix;

    HashKey(byte[] b, int len, int hash) {
        this.bytes = Arrays.copyOf(b, len);
        this.hash = hash;
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (i < len ? b[i] & 0xFF : 0);
        }
        this.prefix = v;
    }

    static int compare(HashKey a, HashKey b) {
        int c = Long.compareUnsigned(a.prefix, b.prefix);
        return c != 0 ? c : Arrays.compareUnsigned(a.bytes, b.bytes);
    }

    static int hash(byte[] b, int len) {
        int h = 1;
        for (int i = 0; i < len; i++) {
            h = 31 * h + b[i];
        }
        return h;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof HashKey k) {
            return k.hash == hash && Arrays.equals(k.bytes, bytes);
        }
        return o instanceof Probe p && p.equals(this);
    }

    /** A lookup key over an encoder's buffer, so a row of a known key allocates nothing. */
    static final class Probe {
        byte[] bytes;
        int len;
        int hash;

        void set(byte[] b, int n) {
            bytes = b;
            len = n;
            hash = HashKey.hash(b, n);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof HashKey k && k.hash == hash && Arrays.equals(k.bytes, 0, k.bytes.length, bytes, 0, len);
        }
    }
}
