package dev.sluice.csv;

import dev.sluice.Location;
import dev.sluice.Row;
import dev.sluice.Schema;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Internal, not part of the API. A CSV record as a view over its raw bytes: fields are decoded only when asked
 * for, and {@link #is} compares bytes without decoding. Holds one byte array (the record's raw text) and one int
 * array (field bounds).
 */
final class CsvRow extends Row {
    private static final long serialVersionUID = 1L;

    static {
        dev.sluice.internal.Hooks.spillCodec(CsvRow.class, new Spill());
        dev.sluice.internal.Hooks.textKeys(CsvRow.class, CsvRow::appendTextKey);
        dev.sluice.internal.Hooks.rawText(CsvRow.class, CsvRow::rawText);
    }

    /**
     * A text key column from the field's bytes: ASCII rows only (others may hold bytes a String would read as
     * U+FFFD) and plain fields only (an escaped one falls back to its value).
     */
    private static int appendTextKey(
            dev.sluice.Row row, int column, boolean emptyIsNull, dev.sluice.internal.spill.Bytes out) {
        CsvRow r = (CsvRow) row;
        if (r.high && !r.shared.utf8) {
            return dev.sluice.internal.spill.TextKeys.FALLBACK;
        }
        if (r.high) {
            return dev.sluice.internal.spill.TextKeys.FALLBACK;
        }
        if (column >= r.fields) {
            return dev.sluice.internal.spill.TextKeys.NULL; // absent
        }
        int[] bs = r.bounds(column);
        int b = bs[2 * column];
        int flags = b >>> 30;
        int start = b & CsvParser.OFFSET_MASK;
        int end = bs[2 * column + 1];
        if ((flags & CsvParser.COMPLEX) != 0) {
            return dev.sluice.internal.spill.TextKeys.FALLBACK;
        }
        if (end == start && ((flags & CsvParser.QUOTED) == 0 && r.shared.emptyAsNull || emptyIsNull)) {
            return dev.sluice.internal.spill.TextKeys.NULL;
        }
        byte[] d = r.data;
        int from = start;
        for (int k = start; k < end; k++) {
            if (d[k] == 0) {
                out.write(d, from, k + 1 - from);
                out.write(0xFF); // 00 is written 00 FF
                from = k + 1;
            }
        }
        out.write(d, from, end - from);
        return dev.sluice.internal.spill.TextKeys.WRITTEN;
    }

    /** A CSV row in a blocking operator's pages and spill files: its raw text, never re-encoded. */
    private static final class Spill implements dev.sluice.internal.spill.SpillCodec<CsvRow> {
        @Override
        public void write(CsvRow r, dev.sluice.internal.spill.Bytes out, dev.sluice.internal.spill.RecordCodec codec) {
            out.writeVarLong(codec.id(r.shared));
            out.writeVarLong(r.fields);
            out.write((r.quoted ? 1 : 0) | (r.high ? 2 : 0));
            out.writeZigZag(r.lines == null ? r.line : r.lines.global(r.line));
            out.writeZigZag(r.record);
            out.writeZigZag(r.offset);
            out.writeVarLong(r.data.length);
            out.write(r.data, 0, r.data.length);
        }

        @Override
        public CsvRow read(dev.sluice.internal.spill.Bytes.Reader in, dev.sluice.internal.spill.RecordCodec codec) {
            Shared shared = (Shared) codec.shared((int) in.readVarLong());
            int fields = (int) in.readVarLong();
            int flags = in.read();
            long line = in.readZigZag();
            long record = in.readZigZag();
            long offset = in.readZigZag();
            byte[] data = in.readBytes((int) in.readVarLong());
            return new CsvRow(
                    shared, data, null, fields, line, record, offset, null, (flags & 1) != 0, (flags & 2) != 0);
        }
    }

    /** What every row of one source shares. */
    static final class Shared {
        final Schema schema;
        final Charset charset;
        final boolean utf8;
        final String sourceName;
        final boolean emptyAsNull;
        final int quote;
        final int escape;
        final int delimiter;
        final char comment;

        Shared(Schema schema, CsvFormat f, Charset charset, String sourceName) {
            this.delimiter = f.delimiter();
            this.comment = f.comment();
            this.schema = schema;
            this.charset = charset;
            this.utf8 = charset.equals(StandardCharsets.UTF_8);
            this.sourceName = sourceName;
            this.emptyAsNull = f.emptyAsNull();
            this.quote = f.quote() == CsvFormat.NONE ? CsvParser.noChar() : f.quote();
            this.escape = f.escape() == CsvFormat.NONE ? CsvParser.noChar() : f.escape();
        }
    }

    private final transient Shared shared;
    private final byte[] data;
    /**
     * Field bounds (2 ints a field, flags in the starts' top bits). Either given whole, or split from {@link #data}
     * a field at a time as fields are asked for: {@link #split} packs the next field's start and the number split.
     */
    private final int[] bounds;

    private volatile long split;
    private final int fields;
    private final long line;
    private final long record;
    private final long offset;
    private final transient ChunkLines lines;

    /** Whether the raw record holds a quote character anywhere (true if unknown). */
    private final boolean quoted;
    /** Whether the record may hold a byte above 0x7F (false: it is ASCII). */
    private final boolean high;

    CsvRow(
            Shared shared,
            byte[] data,
            int[] bounds,
            int fields,
            long line,
            long record,
            long offset,
            ChunkLines lines,
            boolean quoted,
            boolean high) {
        this.lines = lines;
        this.quoted = quoted;
        this.high = high;
        this.shared = shared;
        this.data = data;
        this.bounds = bounds != null ? bounds : new int[2 * fields];
        this.split = bounds != null ? ((long) (data.length + 1) << 32) | fields : 0;
        this.fields = fields;
        this.line = line;
        this.record = record;
        this.offset = offset;
    }

    @Override
    public Schema schema() {
        return shared.schema;
    }

    @Override
    public Object value(int i) {
        return get(i);
    }

    @Override
    public String get(int i) {
        if (i >= shared.schema.size() || i < 0) {
            throw new IndexOutOfBoundsException(
                    "column index " + i + " is out of range for " + shared.schema.size() + " columns");
        }
        return i < fields ? field(i) : null; // beyond the record's fields: absent (a short ragged row, padded)
    }

    /** Field {@code i} of the record as read, whatever the schema's width. */
    String field(int i) {
        int[] bs = bounds(i);
        int b = bs[2 * i];
        int start = b & CsvParser.OFFSET_MASK;
        int flags = b >>> 30;
        int end = bs[2 * i + 1];
        if (end == start && (flags & CsvParser.QUOTED) == 0 && shared.emptyAsNull) {
            return null;
        }
        if ((flags & CsvParser.COMPLEX) != 0) {
            byte[] out = new byte[end - start];
            int n = CsvParser.unescape(data, start, end, shared.quote, shared.escape, out);
            return new String(out, 0, n, shared.charset);
        }
        return new String(data, start, end - start, shared.charset);
    }

    /** Every field of the record as read (ragged rows included), for tools and tests. */
    java.util.List<String> fields() {
        java.util.List<String> out = new java.util.ArrayList<>(fields);
        for (int i = 0; i < fields; i++) {
            out.add(field(i));
        }
        return out;
    }

    @Override
    public boolean is(int i, String expected) {
        if (expected == null || i >= fields || i >= shared.schema.size()) {
            return super.is(i, expected);
        }
        int[] bs = bounds(i);
        int b = bs[2 * i];
        if ((b >>> 30 & CsvParser.COMPLEX) != 0 || (shared.emptyAsNull && expected.isEmpty())) {
            return super.is(i, expected);
        }
        int start = b & CsvParser.OFFSET_MASK;
        int len = bs[2 * i + 1] - start;
        int n = expected.length();
        byte[] d = data;
        if (len == n) {
            for (int k = 0; k < n; k++) {
                char c = expected.charAt(k);
                if (c >= 0x80) {
                    return super.is(i, expected);
                }
                if (d[start + k] != c) {
                    return false;
                }
            }
            return true;
        }
        for (int k = 0; k < n; k++) {
            if (expected.charAt(k) >= 0x80) {
                return super.is(i, expected);
            }
        }
        return false;
    }

    @Override
    public int size() {
        return shared.schema.size();
    }

    /** The number of fields the record actually had (may differ from the schema's width for ragged rows). */
    int fieldCount() {
        return fields;
    }

    /** The record's raw text, without its line terminator. */
    String rawText() {
        return new String(data, shared.charset);
    }

    /** A new column at the end is a view over this row (no decoding); replacing a column makes a plain row. */
    @Override
    public Row with(String name, Object value) {
        Schema s = shared.schema;
        if (s.indexOf(name) < 0) {
            return new AppendedRow(this, s.append(name), value);
        }
        return super.with(name, value);
    }

    /** The shared state of this row's source. */
    Shared shared() {
        return shared;
    }

    /** The record's raw bytes (no line terminator). Not a copy: do not modify. */
    byte[] raw() {
        return data;
    }

    /**
     * Whether the raw bytes are exactly what a minimal-quoting writer with the same delimiter and quote would write
     * for this row's values: every field quoted if and only if it must be, none escaped, none ragged, and (in
     * UTF-8) no byte sequence that is not UTF-8.
     *
     * @param widened whether columns will follow this row's fields (a lone empty field then needs no quotes)
     */
    boolean canonical(boolean widened) {
        int n = shared.schema.size();
        if (fields != n || shared.escape != CsvParser.noChar() || shared.emptyAsNull) {
            return false;
        }
        byte[] d = data;
        if (high && shared.utf8 && !Utf8.valid(d, 0, d.length)) {
            return false; // decoded, invalid bytes read as U+FFFD: written so, on every path
        }
        int q = shared.quote;
        boolean anyQuote = false;
        if (quoted) {
            for (byte b : d) {
                if (b == q) {
                    anyQuote = true;
                    break;
                }
            }
        }
        if (!anyQuote) {
            return widened || !(n == 1 && d.length == 0); // a lone empty field must be written quoted
        }
        int[] bs = bounds(n - 1);
        for (int i = 0; i < n; i++) {
            int b = bs[2 * i];
            int flags = b >>> 30;
            int start = b & CsvParser.OFFSET_MASK;
            int end = bs[2 * i + 1];
            if ((flags & CsvParser.COMPLEX) != 0) {
                return false;
            }
            boolean special = false;
            for (int k = start; k < end; k++) {
                byte c = d[k];
                if (c == q && (flags & CsvParser.QUOTED) == 0) {
                    return false; // a literal quote in an unquoted field: a writer quotes it
                }
                special |= c == shared.delimiter || c == '\n' || c == '\r';
            }
            if ((flags & CsvParser.QUOTED) != 0 && !special && !(n == 1 && end == start && !widened)) {
                return false; // quoted without need
            }
        }
        return true;
    }

    /** Whether the raw text can be copied as it is: not UTF-8, or valid UTF-8 (else it is read with U+FFFD). */
    boolean rawTextValid() {
        return !high || !shared.utf8 || Utf8.valid(data, 0, data.length);
    }

    /**
     * Field {@code i}'s raw bytes, quotes included, as {@code start << 32 | end}, when they are exactly what a
     * minimal-quoting writer with this row's delimiter and quote would write for its value (not the only field of
     * its record); -1 otherwise (escaped, quoted without need, or needing quotes it lacks).
     */
    long rawField(int i) {
        if (i >= fields || shared.escape != CsvParser.noChar() || shared.emptyAsNull) {
            return -1;
        }
        int[] bs = bounds(i);
        int b = bs[2 * i];
        int flags = b >>> 30;
        int start = b & CsvParser.OFFSET_MASK;
        int end = bs[2 * i + 1];
        if ((flags & CsvParser.COMPLEX) != 0) {
            return -1;
        }
        boolean special = false;
        int q = shared.quote;
        byte[] d = data;
        for (int k = start; k < end; k++) {
            byte c = d[k];
            if (c == q && (flags & CsvParser.QUOTED) == 0) {
                return -1;
            }
            special |= c == shared.delimiter || c == '\n' || c == '\r';
        }
        if ((flags & CsvParser.QUOTED) != 0) {
            return special ? ((long) (start - 1) << 32) | (end + 1) : -1;
        }
        return special ? -1 : ((long) start << 32) | end;
    }

    /** The bounds with at least fields {@code 0..i} split. Concurrent callers split the same values: harmless. */
    private int[] bounds(int i) {
        long s = split;
        if ((int) s <= i) {
            split = CsvParser.splitSome(
                    data, 0, data.length, shared.delimiter, shared.quote, bounds, (int) s, (int) (s >>> 32), i);
        }
        return bounds;
    }

    /** Serialized as a plain row: the byte view is a local-runner optimisation. */
    private Object writeReplace() {
        return Row.of(schema(), values().toArray(), origin());
    }

    @Override
    public Location origin() {
        return new Location(shared.sourceName, lines == null ? line : lines.global(line), record, offset);
    }
}
