package dev.sluice.csv;

import dev.sluice.DataException;
import dev.sluice.Row;
import dev.sluice.Schema;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes rows as CSV bytes, with Python's csv-module rules for {@link Quoting#MINIMAL}. Use it directly for
 * streams; {@link Csv#write} makes a sink that writes a file. Not thread-safe.
 *
 * <pre>{@code
 * try (CsvWriter w = new CsvWriter(outputStream, CsvFormat.DEFAULT)) {
 *   w.writeRecord(List.of("a", "b,c"));    // a,"b,c"
 * }
 * }</pre>
 *
 * <p>A row read from CSV that passes through unchanged (or with columns appended by {@link Row#with}) is written
 * by copying its raw bytes when they are exactly what this writer would produce, so nothing is decoded.
 */
public final class CsvWriter implements Closeable {
    private final OutputStream out;
    private final CsvFormat format;
    private final Charset charset;
    private final boolean asciiFast;
    private final char delimiter;
    private final char quote;
    private final char escape;
    private final char comment;
    private final boolean quoteAll;
    private final byte[] lineEnding;
    private byte[] buf = new byte[1 << 16];
    private int pos;
    private Schema header;
    private Schema lastSchema;
    private int[] lastMapping;

    public CsvWriter(OutputStream out, CsvFormat format) {
        this.out = out;
        this.format = format;
        this.charset = format.charset();
        this.asciiFast = charset.equals(StandardCharsets.UTF_8)
                || charset.equals(StandardCharsets.US_ASCII)
                || charset.equals(StandardCharsets.ISO_8859_1)
                || dev.sluice.internal.InputFiles.asciiCompatible(charset);
        this.delimiter = format.delimiter();
        this.quote = format.quote();
        this.escape = format.escape();
        this.comment = format.comment();
        this.quoteAll = format.quoting() == Quoting.ALL;
        this.lineEnding = format.lineEnding().getBytes(StandardCharsets.US_ASCII);
        if (quoteAll && quote == CsvFormat.NONE) {
            throw new IllegalArgumentException("Quoting.ALL needs a quote character, but the format's quote is NONE");
        }
    }

    /** Writes one record of text values; {@code null} is written as an empty field. */
    public void writeRecord(List<String> values) throws IOException {
        int n = values.size();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                put((byte) delimiter);
            }
            writeField(values.get(i), i, n == 1);
        }
        putLineEnding();
    }

    /** The header this writer has settled on, or null before the first row. */
    public Schema header() {
        return header;
    }

    /**
     * Writes a row. The first row's schema is the header (written if {@code writeHeader}); later rows are written
     * by column name in header order, and a row that lacks a header column or has an extra one is a {@link
     * DataException} naming the column.
     */
    public void writeRow(Row row, boolean writeHeader) throws IOException {
        Schema s = row.schema();
        if (header == null) {
            header = s;
            if (writeHeader) {
                writeRecord(s.names());
            }
        }
        if (s == header && writeRaw(row)) {
            return;
        }
        int n = header.size();
        int[] map = s == header || s.equals(header) ? null : mapping(s);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                put((byte) delimiter);
            }
            writeField(row.get(map == null ? i : map[i]), i, n == 1);
        }
        putLineEnding();
    }

    /**
     * For connectors that take CSV (e.g. PostgreSQL's COPY): the raw bytes of {@code row} (without a line ending)
     * if it was read from CSV and writing its values with {@code format}'s delimiter and quote and minimal quoting
     * would produce exactly them; otherwise null. The array is the row's own: do not modify it.
     */
    public static byte[] rawRecord(Row row, CsvFormat format) {
        if (!(row instanceof CsvRow) || format.escape() != CsvFormat.NONE || format.quoting() != Quoting.MINIMAL) {
            return null;
        }
        CsvRow r = (CsvRow) row;
        CsvRow.Shared sh = r.shared();
        int q = format.quote() == CsvFormat.NONE ? CsvParser.noChar() : format.quote();
        if (sh.delimiter != format.delimiter()
                || sh.quote != q
                || !sh.charset.equals(format.charset())
                || !r.canonical(false)) {
            return null;
        }
        return r.raw();
    }

    /** Whether this writer writes what a CSV row of {@code sh}'s dialect holds, byte for byte. */
    private boolean sameDialect(CsvRow.Shared sh) {
        return !quoteAll
                && escape == CsvFormat.NONE
                && comment == CsvFormat.NONE
                && sh.delimiter == delimiter
                && sh.quote == (quote == CsvFormat.NONE ? CsvParser.noChar() : quote)
                && sh.charset.equals(charset);
    }

    /**
     * A join of two CSV rows: the left row's raw bytes when its columns lead, then the right's columns field by
     * field, raw where they are what this writer would write.
     */
    private boolean writeJoined(dev.sluice.internal.JoinedRow j) throws IOException {
        if (!(j.left() instanceof CsvRow l)
                || !(j.right() instanceof CsvRow r)
                || j.leftPrefix() != l.schema().size()
                || l.fieldCount() != l.schema().size()
                || !sameDialect(l.shared())
                || !sameDialect(r.shared())
                || !l.canonical(true)
                || !r.rawTextValid()) {
            return false;
        }
        int n = header.size();
        byte[] raw = l.raw();
        put(raw, 0, raw.length);
        byte[] rr = r.raw();
        for (int i = j.leftPrefix(); i < n; i++) {
            put((byte) delimiter);
            int ri = j.fromRight(i);
            long slice = ri >= 0 ? r.rawField(ri) : -1;
            if (slice >= 0) {
                put(rr, (int) (slice >>> 32), (int) slice - (int) (slice >>> 32));
            } else {
                writeField(j.get(i), i, false);
            }
        }
        putLineEnding();
        return true;
    }

    /** Copies a CSV row's raw bytes when they are exactly what this writer would write. */
    private boolean writeRaw(Row row) throws IOException {
        if (row instanceof dev.sluice.internal.JoinedRow j) {
            return writeJoined(j);
        }
        CsvRow base;
        Object extra = null;
        boolean appended = false;
        if (row instanceof CsvRow) {
            base = (CsvRow) row;
        } else if (row instanceof AppendedRow) {
            base = ((AppendedRow) row).base;
            extra = ((AppendedRow) row).extra;
            appended = true;
        } else {
            return false;
        }
        CsvRow.Shared sh = base.shared();
        if (quoteAll
                || escape != CsvFormat.NONE
                || comment != CsvFormat.NONE
                || sh.delimiter != delimiter
                || sh.quote != (quote == CsvFormat.NONE ? CsvParser.noChar() : quote)
                || !sh.charset.equals(charset)
                || !base.canonical(appended)) {
            return false;
        }
        byte[] raw = base.raw();
        put(raw, 0, raw.length);
        if (appended) {
            put((byte) delimiter);
            writeField(extra == null ? null : extra.toString(), 1, false);
        }
        putLineEnding();
        return true;
    }

    private int[] mapping(Schema s) {
        if (s == lastSchema) {
            return lastMapping;
        }
        int[] map = new int[header.size()];
        for (int i = 0; i < map.length; i++) {
            map[i] = s.indexOf(header.name(i));
            if (map[i] < 0) {
                throw new DataException("the row has no column '" + header.name(i)
                        + "', which the header has; the row's " + "columns are " + s);
            }
        }
        if (s.size() != header.size()) {
            for (String name : s.names()) {
                if (!header.has(name)) {
                    throw new DataException("the row has a column '" + name + "' that the header " + header + " lacks");
                }
            }
        }
        lastSchema = s;
        lastMapping = map;
        return map;
    }

    /**
     * Python's csv writer rules: quote when the value holds the delimiter, the quote character, CR or LF (or is
     * the only, empty field of its record); inside quotes double the quote character; write the escape character,
     * if any, as two. A first field that starts with the comment character is quoted so it is not read as a comment.
     */
    private void writeField(String v, int index, boolean only) throws IOException {
        boolean hasQuote = quote != CsvFormat.NONE;
        if (v == null || v.isEmpty()) {
            if (quoteAll || (only && hasQuote)) {
                put((byte) quote); // a lone empty field is quoted, so the line is not mistaken for an empty one
                put((byte) quote);
            } else if (only) {
                throw new DataException("a record of one empty field cannot be written without a quote character: "
                        + "it would read back as an empty line");
            }
            return;
        }
        boolean escapes = false;
        boolean needs = quoteAll || (index == 0 && comment != CsvFormat.NONE && v.charAt(0) == comment);
        boolean ascii = asciiFast;
        int n = v.length();
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (c == delimiter || c == '\n' || c == '\r' || (hasQuote && c == quote)) {
                needs = true;
            } else if (escape != CsvFormat.NONE && c == escape) {
                escapes = true;
            } else if (c >= 0x80) {
                ascii = false;
            }
        }
        if (!needs && !escapes) {
            putText(v, ascii);
            return;
        }
        if (!hasQuote) {
            if (needs && escape == CsvFormat.NONE) {
                throw new DataException(
                        "value '" + v + "' needs quoting, but the format has neither a quote nor an escape");
            }
            StringBuilder sb = new StringBuilder(n + 8);
            for (int i = 0; i < n; i++) {
                char c = v.charAt(i);
                if (c == delimiter
                        || c == '\n'
                        || c == '\r'
                        || c == escape
                        || (i == 0 && comment != CsvFormat.NONE && c == comment)) {
                    sb.append(escape);
                }
                sb.append(c);
            }
            putText(sb.toString(), false);
            return;
        }
        StringBuilder sb = new StringBuilder(n + 8);
        if (needs) {
            sb.append(quote);
        }
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (c == quote || (escape != CsvFormat.NONE && c == escape)) {
                sb.append(c); // doubled
            }
            sb.append(c);
        }
        if (needs) {
            sb.append(quote);
        }
        putText(sb.toString(), false);
    }

    private void putText(String s, boolean ascii) throws IOException {
        int n = s.length();
        if (ascii) {
            if (pos + n > buf.length) {
                flushBuffer();
                if (n > buf.length) {
                    buf = new byte[n];
                }
            }
            byte[] b = buf;
            int p = pos;
            for (int i = 0; i < n; i++) {
                b[p + i] = (byte) s.charAt(i);
            }
            pos = p + n;
        } else {
            byte[] bytes = s.getBytes(charset);
            put(bytes, 0, bytes.length);
        }
    }

    private void putLineEnding() throws IOException {
        put(lineEnding, 0, lineEnding.length);
    }

    private void put(byte b) throws IOException {
        if (pos == buf.length) {
            flushBuffer();
        }
        buf[pos++] = b;
    }

    private void put(byte[] src, int off, int len) throws IOException {
        if (pos + len > buf.length) {
            flushBuffer();
            if (len > buf.length) {
                out.write(src, off, len);
                return;
            }
        }
        System.arraycopy(src, off, buf, pos, len);
        pos += len;
    }

    private void flushBuffer() throws IOException {
        if (pos > 0) {
            out.write(buf, 0, pos);
            pos = 0;
        }
    }

    /**
     * Appends a chunk encoded by another writer of the same format whose header was {@code chunkHeader}; returns
     * false (writing nothing) if that header differs from this writer's. The first chunk settles the header.
     */
    boolean appendEncoded(Schema chunkHeader, byte[] bytes, int len, boolean writeHeader) throws IOException {
        if (header == null) {
            header = chunkHeader;
            if (writeHeader) {
                writeRecord(chunkHeader.names());
            }
        } else if (header != chunkHeader && !header.equals(chunkHeader)) {
            return false;
        }
        put(bytes, 0, len);
        return true;
    }

    /** The dialect this writer writes. */
    public CsvFormat format() {
        return format;
    }

    public void flush() throws IOException {
        flushBuffer();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            flushBuffer();
        } finally {
            out.close();
        }
    }
}
