package dev.sluice.internal.op;

import dev.sluice.Agg;
import dev.sluice.Aggregator;
import dev.sluice.DataException;
import dev.sluice.Row;
import dev.sluice.internal.spill.Bytes;
import dev.sluice.internal.spill.RecordCodec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Internal: the accumulators of the built-in aggregates. Each turns a row into its input (parsing numbers, so a
 * bad value rejects the row before any state changes), adds an input to a state, merges two states of one group,
 * writes and reads a state for spill files, and says how many bytes a state holds (for the memory budget).
 */
final class Accumulators {
    private Accumulators() {}

    /** An input that is null (absent, null or empty): skipped by column aggregates. */
    static final Object NULL = new Object();

    abstract static class Acc {
        final Agg agg;
        int column = -1;

        Acc(Agg agg) {
            this.agg = agg;
        }

        /** Whether a state's size can change as rows are added (then {@link #size} is asked again). */
        boolean variable() {
            return false;
        }

        /** This aggregate's input from {@code row}: a parsed value, or {@link #NULL}. */
        Object input(Row row) {
            Object v = row.value(column);
            return v == null || (v instanceof String s && s.isEmpty()) ? NULL : v;
        }

        abstract Object create();

        /** Adds input {@code in} of the group's row number {@code seq}; returns the new state. */
        abstract Object add(Object state, Object in, long seq);

        abstract Object merge(Object a, Object b);

        abstract Object result(Object state);

        abstract long size(Object state);

        abstract void write(Object state, Bytes out, RecordCodec codec);

        abstract Object read(Bytes.Reader in, RecordCodec codec);
    }

    static Acc of(Agg a) {
        return switch (a.kind()) {
            case COUNT -> new Count(a, false);
            case COUNT_VALUES -> new Count(a, true);
            case SUM -> new Sum(a, false);
            case AVG -> new Sum(a, true);
            case MIN -> new MinMax(a, true);
            case MAX -> new MinMax(a, false);
            case FIRST -> new FirstLast(a, true);
            case LAST -> new FirstLast(a, false);
            case COUNT_DISTINCT -> new Distinct(a);
            case APPROX_COUNT_DISTINCT -> new Approx(a);
            case COLLECT -> new Collect(a);
            case CUSTOM -> new Custom(a);
        };
    }

    static final class Count extends Acc {
        private final boolean values;

        Count(Agg a, boolean values) {
            super(a);
            this.values = values;
        }

        @Override
        Object input(Row row) {
            return values ? super.input(row) : Boolean.TRUE;
        }

        @Override
        Object create() {
            return new long[1];
        }

        @Override
        Object add(Object state, Object in, long seq) {
            if (in != NULL) {
                ((long[]) state)[0]++;
            }
            return state;
        }

        @Override
        Object merge(Object a, Object b) {
            ((long[]) a)[0] += ((long[]) b)[0];
            return a;
        }

        @Override
        Object result(Object state) {
            return ((long[]) state)[0];
        }

        @Override
        long size(Object state) {
            return 24;
        }

        @Override
        void write(Object state, Bytes out, RecordCodec codec) {
            out.writeVarLong(((long[]) state)[0]);
        }

        @Override
        Object read(Bytes.Reader in, RecordCodec codec) {
            return new long[] {in.readVarLong()};
        }
    }

    /** An exact sum (and count, for avg): a long while every value is an integer that fits, then a decimal. */
    static final class SumState implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        long l;
        BigDecimal d;
        long n;
    }

    static BigDecimal number(Object v, Agg agg) {
        if (v instanceof BigDecimal b) {
            return b;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof Double || v instanceof Float) {
            return BigDecimal.valueOf(((Number) v).doubleValue());
        }
        String s = v.toString().strip();
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw new DataException(agg.name() + ": '" + v + "' is not a number", null, null);
        }
    }

    static final class Sum extends Acc {
        private final boolean avg;

        Sum(Agg a, boolean avg) {
            super(a);
            this.avg = avg;
        }

        @Override
        Object input(Row row) {
            Object v = super.input(row);
            if (v == NULL) {
                return v;
            }
            if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                return ((Number) v).longValue();
            }
            if (v instanceof String s) {
                String t = s.strip();
                int len = t.length();
                if (len > 0 && len < 19) {
                    boolean digits = true;
                    for (int i = t.charAt(0) == '-' || t.charAt(0) == '+' ? 1 : 0; i < len; i++) {
                        char c = t.charAt(i);
                        if (c < '0' || c > '9') {
                            digits = false;
                            break;
                        }
                    }
                    if (digits && len > (t.charAt(0) == '-' || t.charAt(0) == '+' ? 1 : 0)) {
                        return Long.parseLong(t);
                    }
                }
            }
            return number(v, agg);
        }

        @Override
        Object create() {
            return new SumState();
        }

        @Override
        Object add(Object state, Object in, long seq) {
            if (in == NULL) {
                return state;
            }
            SumState s = (SumState) state;
            s.n++;
            if (in instanceof Long l) {
                long r = s.l + l;
                if (((s.l ^ r) & (l ^ r)) < 0) { // overflow: carry on in decimals
                    s.d = (s.d == null ? BigDecimal.ZERO : s.d)
                            .add(BigDecimal.valueOf(s.l))
                            .add(BigDecimal.valueOf(l));
                    s.l = 0;
                } else {
                    s.l = r;
                }
            } else {
                s.d = (s.d == null ? BigDecimal.ZERO : s.d).add((BigDecimal) in);
            }
            return s;
        }

        @Override
        Object merge(Object a, Object b) {
            SumState x = (SumState) a;
            SumState y = (SumState) b;
            if (y.n > 0) {
                x.n += y.n;
                add(x, y.l, 0);
                x.n--; // add counted the carried long as a value
                if (y.d != null) {
                    x.d = (x.d == null ? BigDecimal.ZERO : x.d).add(y.d);
                }
            }
            return x;
        }

        private static BigDecimal total(SumState s) {
            return s.d == null ? BigDecimal.valueOf(s.l) : s.d.add(BigDecimal.valueOf(s.l));
        }

        @Override
        Object result(Object state) {
            SumState s = (SumState) state;
            if (s.n == 0) {
                return null;
            }
            if (avg) {
                return total(s).doubleValue() / s.n;
            }
            return s.d == null ? (Object) s.l : total(s).toPlainString();
        }

        @Override
        long size(Object state) {
            return ((SumState) state).d == null ? 40 : 120;
        }

        @Override
        boolean variable() {
            return true;
        }

        @Override
        void write(Object state, Bytes out, RecordCodec codec) {
            SumState s = (SumState) state;
            out.writeZigZag(s.l);
            out.writeVarLong(s.n);
            codec.writeValue(s.d, out);
        }

        @Override
        Object read(Bytes.Reader in, RecordCodec codec) {
            SumState s = new SumState();
            s.l = in.readZigZag();
            s.n = in.readVarLong();
            s.d = (BigDecimal) codec.readValue(in);
            return s;
        }
    }

    /** Compares strings by Unicode code point (the order of their UTF-8 bytes), not by UTF-16 unit. */
    static int compareText(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                boolean sx = Character.isSurrogate(x);
                boolean sy = Character.isSurrogate(y);
                if (sx != sy) {
                    return sx ? 1 : -1; // a surrogate pair is a code point above U+FFFF
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareValues(Object a, Object b) {
        if (a instanceof String x && b instanceof String y) {
            return compareText(x, y);
        }
        if (a instanceof Number x
                && b instanceof Number y
                && !(a instanceof BigDecimal)
                && !(b instanceof BigDecimal)) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a.getClass() == b.getClass() && a instanceof Comparable c) {
            return c.compareTo(b);
        }
        return compareText(a.toString(), b.toString());
    }

    /** A number compared by its value and written as it was read. */
    record Num(double value, Object original) implements java.io.Serializable {}

    static final class MinMax extends Acc {
        private final boolean min;

        MinMax(Agg a, boolean min) {
            super(a);
            this.min = min;
        }

        @Override
        Object input(Row row) {
            Object v = super.input(row);
            if (v == NULL || !agg.isNumeric()) {
                return v;
            }
            return new Num(
                    v instanceof Number n ? n.doubleValue() : number(v, agg).doubleValue(), v);
        }

        @Override
        Object create() {
            return NULL;
        }

        @Override
        Object add(Object state, Object in, long seq) {
            if (in == NULL) {
                return state;
            }
            if (state == NULL) {
                return in;
            }
            int c = in instanceof Num x && state instanceof Num y
                    ? Double.compare(x.value(), y.value())
                    : compareValues(in, state);
            return (min ? c < 0 : c > 0) ? in : state;
        }

        @Override
        Object merge(Object a, Object b) {
            return add(a, b, 0);
        }

        @Override
        Object result(Object state) {
            return state == NULL ? null : state instanceof Num n ? n.original() : state;
        }

        @Override
        boolean variable() {
            return true;
        }

        @Override
        long size(Object state) {
            Object v = state instanceof Num n ? n.original() : state;
            return (v instanceof String s ? 48 + 2L * s.length() : 32) + (state instanceof Num ? 32 : 0);
        }

        @Override
        void write(Object state, Bytes out, RecordCodec codec) {
            codec.writeValue(state == NULL ? null : state instanceof Num n ? n.original() : state, out);
        }

        @Override
        Object read(Bytes.Reader in, RecordCodec codec) {
            Object v = codec.readValue(in);
            if (v == null) {
                return NULL;
            }
            return agg.isNumeric()
                    ? new Num(
                            v instanceof Number n
                                    ? n.doubleValue()
                                    : number(v, agg).doubleValue(),
                            v)
                    : v;
        }
    }

    /** The value of the row with the least (first) or greatest (last) number in the input. */
    static final class Seen {
        long seq;
        Object value;

        Seen(long seq, Object value) {
            this.seq = seq;
            this.value = value;
        }
    }

    static final class FirstLast extends Acc {
        private final boolean first;

        FirstLast(Agg a, boolean first) {
            super(a);
            this.first = first;
        }

        @Override
        Object create() {
            return null;
        }

        @Override
        Object add(Object state, Object in, long seq) {
            Seen s = (Seen) state;
            if (s == null) {
                return new Seen(seq, in);
            }
            if (first ? seq < s.seq : seq > s.seq) {
                s.seq = seq;
                s.value = in;
            }
            return s;
        }

        @Override
        Object merge(Object a, Object b) {
            Seen y = (Seen) b;
            return y == null ? a : add(a, y.value, y.seq);
        }

        @Override
        Object result(Object state) {
            Seen s = (Seen) state;
            return s == null || s.value == NULL ? null : s.value;
        }

        @Override
        boolean variable() {
            return true;
        }

        @Override
        long size(Object state) {
            Seen s = (Seen) state;
            return s != null && s.value instanceof String v ? 64 + 2L * v.length() : 48;
        }

        @Override
        void write(Object state, Bytes out, RecordCodec codec) {
            Seen s = (Seen) state;
            if (s == null) {
                out.write(0);
                return;
            }
            out.write(1);
            out.writeVarLong(s.seq);
            codec.writeValue(s.value == NULL ? null : s.value, out);
        }

        @Override
        Object read(Bytes.Reader in, RecordCodec codec) {
            if (in.read() == 0) {
                return null;
            }
            long seq = in.readVarLong();
            Object v = codec.readValue(in);
            return new Seen(seq, v == null ? NULL : v);
        }
    }

    /** The distinct values seen, and the bytes they are counted for (kept as they grow: no walk per row). */
    static final class DistinctState implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        final Set<Object> values = new HashSet<>();
        long bytes = 64;

        void add(Object v) {
            if (values.add(v)) {
                bytes += v instanceof String s ? 72 + 2L * s.length() : 64;
            }
        }
    }

    static final class Distinct extends Acc {
        Distinct(Agg a) {
            super(a);
        }

        @Override
        Object create() {
            return new DistinctState();
        }

        @Override
        Object add(Object state, Object in, long seq) {
            if (in != NULL) {
                ((DistinctState) state).add(in);
            }
            return state;
        }

        @Override
        Object merge(Object a, Object b) {
            DistinctState x = (DistinctState) a;
            for (Object v : ((DistinctState) b).values) {
                x.add(v);
            }
            return x;
        }

        @Override
        Object result(Object state) {
            return (long) ((DistinctState) state).values.size();
        }

        @Override
        boolean variable() {
            return true;
        }

        @Override
        long size(Object state) {
            return ((DistinctState) state).bytes;
        }

        @Override
        void write(Object state, Bytes out, RecordCodec codec) {
            Set<Object> s = ((DistinctState) state).values;
            out.writeVarLong(s.size());
            for (Object o : s) {
                codec.writeValue(o, out);
            }
        }

        @Override
        Object read(Bytes.Reader in, RecordCodec codec) {
            int n = (int) in.readVarLong();
            DistinctState s = new DistinctState();
            for (int i = 0; i < n; i++) {
                s.add(codec.readValue(in));
            }
            return s;
        }
    }

    /** HyperLogLog with 2^12 one-byte registers (Flajolet et al. 2007), with linear counting for small counts. */
    static final class Approx extends Acc {
        static final int M = 1 << 12;

        Approx(Agg a) {
            super(a);
        }

        /** A value's 64-bit hash: FNV-1a over its text, spread by murmur3's finalizer. */
        static long hash(Object v) {
            String s = v.toString();
            long h = 0xcbf29ce484222325L;
            for (int i = 0; i < s.length(); i++) {
                h = (h ^ s.charAt(i)) * 0x100000001b3L;
            }
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            h *= 0xc4ceb9fe1a85ec53L;
            return h ^ (h >>> 33);
        }

        /** Adds a value's hash to the registers. */
        static void addHash(byte[] r, long h) {
            int idx = (int) (h >>> 52);
            int rank = Long.numberOfLeadingZeros((h << 12) | (1L << 11)) + 1;
            if (rank > r[idx]) {
                r[idx] = (byte) rank;
            }
        }

        /** Merges {@code y}'s registers into {@code x}'s. */
        static byte[] mergeRegisters(byte[] x, byte[] y) {
            for (int i = 0; i < M; i++) {
                if (y[i] > x[i]) {
                    x[i] = y[i];
                }
            }
            return x;
        }

        /** The estimated number of distinct values added. */
        static long estimate(byte[] r) {
            double sum = 0;
            int zeros = 0;
            for (byte b : r) {
                sum += 1.0 / (1L << b);
                if (b == 0) {
                    zeros++;
                }
            }
            double alpha = 0.7213 / (1 + 1.079 / M);
            double e = alpha * M * M / sum;
            if (e <= 2.5 * M && zeros > 0) {
                e = M * Math.log((double) M / zeros); // linear counting
            }
            return Math.round(e);
        }

        @Override
        Object create() {
            return new byte[M];
        }

        @Override
        Object add(Object state, Object in, long seq) {
            if (in != NULL) {
                addHash((byte[]) state, hash(in));
            }
            return state;
        }

        @Override
        Object merge(Object a, Object b) {
            return mergeRegisters((byte[]) a, (byte[]) b);
        }

        @Override
        Object result(Object state) {
            return estimate((byte[]) state);
        }

        @Override
        long size(Object state) {
            return M + 16;
        }

        @Override
        void write(Object state, Bytes out, RecordCodec codec) {
            byte[] r = (byte[]) state;
            out.write(r, 0, M);
        }

        @Override
        Object read(Bytes.Reader in, RecordCodec codec) {
            return in.readBytes(M);
        }
    }

    static final class Collect extends Acc {
        Collect(Agg a) {
            super(a);
        }

        @Override
        Object create() {
            return new ArrayList<Seen>();
        }

        @Override
        @SuppressWarnings("unchecked")
        Object add(Object state, Object in, long seq) {
            List<Seen> l = (List<Seen>) state;
            if (in != NULL && l.size() < agg.limit()) {
                l.add(new Seen(seq, in));
            }
            return l;
        }

        @Override
        @SuppressWarnings("unchecked")
        Object merge(Object a, Object b) {
            List<Seen> l = (List<Seen>) a;
            l.addAll((List<Seen>) b);
            l.sort((x, y) -> Long.compare(x.seq, y.seq));
            while (l.size() > agg.limit()) {
                l.remove(l.size() - 1);
            }
            return l;
        }

        @Override
        @SuppressWarnings("unchecked")
        Object result(Object state) {
            List<Seen> l = (List<Seen>) state;
            l.sort((x, y) -> Long.compare(x.seq, y.seq));
            StringBuilder sb = new StringBuilder();
            for (Seen s : l) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append(s.value);
            }
            return l.isEmpty() ? null : sb.toString();
        }

        @Override
        boolean variable() {
            return true;
        }

        @Override
        @SuppressWarnings("unchecked")
        long size(Object state) {
            long n = 48;
            for (Seen s : (List<Seen>) state) {
                n += s.value instanceof String v ? 88 + 2L * v.length() : 80;
            }
            return n;
        }

        @Override
        @SuppressWarnings("unchecked")
        void write(Object state, Bytes out, RecordCodec codec) {
            List<Seen> l = (List<Seen>) state;
            out.writeVarLong(l.size());
            for (Seen s : l) {
                out.writeVarLong(s.seq);
                codec.writeValue(s.value, out);
            }
        }

        @Override
        Object read(Bytes.Reader in, RecordCodec codec) {
            int n = (int) in.readVarLong();
            List<Seen> l = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long seq = in.readVarLong();
                l.add(new Seen(seq, codec.readValue(in)));
            }
            return l;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static final class Custom extends Acc {
        private final Aggregator fn;

        Custom(Agg a) {
            super(a);
            this.fn = a.custom();
        }

        @Override
        Object input(Row row) {
            return row;
        }

        @Override
        Object create() {
            return fn.create();
        }

        @Override
        Object add(Object state, Object in, long seq) {
            return fn.add(state, (Row) in);
        }

        @Override
        Object merge(Object a, Object b) {
            return fn.merge(a, b);
        }

        @Override
        Object result(Object state) {
            return fn.result(state);
        }

        @Override
        long size(Object state) {
            Bytes b = new Bytes(64);
            new RecordCodec(agg.name()).writeValue(state, b);
            return 32 + b.length();
        }

        @Override
        void write(Object state, Bytes out, RecordCodec codec) {
            codec.writeValue(state, out);
        }

        @Override
        Object read(Bytes.Reader in, RecordCodec codec) {
            return codec.readValue(in);
        }
    }
}
