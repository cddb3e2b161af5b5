package dev.sluice.csv;

import dev.sluice.DataException;
import dev.sluice.Location;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * Internal, not part of the API. A byte-level CSV parser over one large buffer. It finds record and field
 * boundaries without decoding anything: a record is a byte range plus, per field, a start and an end relative to
 * the record, with two flag bits in the start's top bits ({@link #QUOTED}, {@link #COMPLEX}). A field is decoded
 * only when asked for ({@link CsvRow}). Simple quoted fields ({@code "a,b"}) need no unescaping: their bounds
 * exclude the quotes. Complex fields (doubled quotes, escapes, text after a closing quote) keep their raw bounds
 * and are unescaped on access by {@link #unescape}, with Python's csv-module semantics.
 *
 * <p>Line numbers count LF, CRLF and lone CR, inside quoted fields too. The buffer grows only for a record that
 * does not fit, up to the maximum record size.
 */
final class CsvParser {
    static final int QUOTED = 1;
    static final int COMPLEX = 2;
    static final int OFFSET_MASK = 0x3fffffff;
    private static final int NO_CHAR = -1000;
    private static final int MAX_BUFFER = OFFSET_MASK; // offsets share an int with two flag bits

    private final InputStream in;
    private final String sourceName;
    private final int delim;
    private final int quote;
    private final int escape;
    private final int comment;
    private final boolean skipEmptyLines;
    private final boolean strict;
    private final int maxFieldSize;
    private final int maxRecordSize;
    private final int maxFields;
    /** The most the buffer may hold: the longest record allowed and a line break (CRLF). */
    private final int maxBuffer;
    /** Record-scanning mode (no escape character): records are found 8 bytes at a time, fields split lazily. */
    private final boolean scan;

    private final long delim8;
    private final long quote8;
    private boolean boundsValid;
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long LF8 = ONES * '\n';
    private static final long CR8 = ONES * '\r';
    /** Bytes above this cannot end an unquoted run (the largest of delimiter, CR, LF and escape). */
    private final int maxStop;
    /** Bytes above this cannot matter inside quotes (the largest of quote, CR, LF and escape). */
    private final int maxQuotedStop;

    private byte[] buf = new byte[1 << 17];
    private int pos;
    private int lim;
    private boolean eof;
    private boolean started;
    private long line;
    private long base; // the input offset of buf[0]

    // the current record
    int recStart;
    int recEnd;
    long recLine;
    /** Whether the current record holds a quote character anywhere (always true outside scanning mode). */
    boolean recQuoted = true;
    /**
     * Whether the current record may hold a byte above 0x7F (always true outside scanning mode). False means it is
     * ASCII, hence valid UTF-8, without a second look at its bytes.
     */
    boolean recHigh = true;

    int fieldCount;
    int[] bounds = new int[2 * 64];
    private int fieldStart; // relative to recStart, for the max-field-size check while the buffer grows

    CsvParser(InputStream in, CsvFormat f, String sourceName) {
        this(in, f, sourceName, 1, 0);
    }

    /**
     * A parser over input that starts at byte {@code startOffset} of the source, on line {@code startLine}; a
     * byte-order mark is looked for only at offset 0.
     */
    CsvParser(InputStream in, CsvFormat f, String sourceName, long startLine, long startOffset) {
        this.line = startLine;
        this.base = startOffset;
        this.in = in;
        this.sourceName = sourceName;
        this.delim = f.delimiter();
        this.quote = f.quote() == CsvFormat.NONE ? NO_CHAR : f.quote();
        int esc = f.escape() == CsvFormat.NONE ? NO_CHAR : f.escape();
        this.escape = esc;
        this.comment = f.comment() == CsvFormat.NONE ? NO_CHAR : f.comment();
        this.skipEmptyLines = f.skipEmptyLines();
        this.strict = f.strict();
        this.maxFieldSize = f.maxFieldSize();
        this.maxRecordSize = f.maxRecordSize();
        this.maxFields = f.maxFields();
        this.maxBuffer = Math.max(buf.length, Math.min(MAX_BUFFER, maxRecordSize + 2));
        this.scan = f.escape() == CsvFormat.NONE;
        this.delim8 = ONES * (f.delimiter() & 0xff);
        this.quote8 = f.quote() == CsvFormat.NONE ? 0 : ONES * (f.quote() & 0xff);
        this.maxStop = Math.max(Math.max(delim, '\r'), escape);
        this.maxQuotedStop = Math.max(Math.max(quote, '\r'), escape);
    }

    byte[] buffer() {
        return buf;
    }

    /** The input offset of the current record's first byte. */
    long recordOffset() {
        return base + recStart;
    }

    /** The input offset the parser has reached. */
    long position() {
        return base + pos;
    }

    /** The line the parser has reached (1-based). */
    long line() {
        return line;
    }

    /** Parses the next record. Returns false at the end of the input. */
    boolean next() throws IOException {
        if (!started) {
            started = true;
            start();
        }
        while (true) {
            recStart = pos;
            if (pos >= lim && !fill()) {
                return false;
            }
            recLine = line;
            fieldCount = 0;
            byte b = buf[pos];
            if (b == '\n' || b == '\r') {
                consumeNewline();
                if (skipEmptyLines) {
                    continue;
                }
                addField(0, 0, 0);
                recEnd = recStart;
                return true;
            }
            if (b == comment) {
                skipLine();
                continue;
            }
            if (scan) {
                boundsValid = false;
                scanRecord();
            } else {
                boundsValid = true;
                parseFields();
            }
            return true;
        }
    }

    /** Whether records are scanned (fields split lazily by {@link #split}) rather than split while parsing. */
    boolean scanning() {
        return scan;
    }

    /** The current record's field bounds (2 ints a field, flags in the starts' top bits), split now if need be. */
    int[] bounds() {
        if (!boundsValid) {
            if (bounds.length < 2 * fieldCount) {
                bounds = new int[Math.max(2 * fieldCount, bounds.length * 2)];
            }
            split(buf, recStart, recEnd - recStart, delim, quote, bounds);
            boundsValid = true;
        }
        return bounds;
    }

    /** A word with 0x80 in exactly the bytes of {@code w} that equal the byte repeated in {@code pattern}. */
    private static long eq(long w, long pattern) {
        long x = w ^ pattern;
        return ~(((x & LOW7) + LOW7) | x | LOW7);
    }

    /**
     * Finds the end of the record that starts at {@code pos} and counts its fields, without splitting them:
     * eight bytes at a time outside quoted fields, byte by byte around quotes. The semantics are those of {@link
     * #parseFields} (Python's csv module): a quote opens a quoted field only at a field's start; inside quotes a
     * doubled quote is literal; text after a closing quote is kept (or, strict, an error).
     */
    private void scanRecord() throws IOException {
        final long d8 = delim8;
        final long q8 = quote8;
        final boolean quotes = quote != NO_CHAR;
        int delims = 0;
        boolean inQuotes = false;
        boolean fieldStart = true;
        long openedAt = line;
        scanQuoteStart = -1;
        boolean sawQuote = false;
        long high = 0; // the OR of the bytes looked at, and of some after them: its sign bits say "maybe not ASCII"
        while (true) {
            if (!inQuotes) {
                byte[] bb = buf;
                int p = pos;
                final int last = lim - 8;
                while (p <= last) {
                    long w = (long) LONGS.get(bb, p);
                    high |= w;
                    long stop = eq(w, LF8) | eq(w, CR8);
                    if (quotes) {
                        stop |= eq(w, q8);
                    }
                    long dm = eq(w, d8);
                    if (stop == 0) {
                        delims += Long.bitCount(dm);
                        fieldStart = dm < 0; // the word's last byte is a delimiter
                        p += 8;
                        continue;
                    }
                    int bit = Long.numberOfTrailingZeros(stop);
                    long below = (1L << bit) - 1;
                    delims += Long.bitCount(dm & below);
                    int k = bit >>> 3;
                    if (k > 0) {
                        fieldStart = (dm & (0x80L << ((k - 1) << 3))) != 0;
                    }
                    p += k;
                    break;
                }
                pos = p;
            }
            if (pos >= lim && !fill()) {
                if (inQuotes && strict) {
                    throw error(
                            openedAt,
                            "a quoted field opened on line " + fmt(openedAt)
                                    + " is not closed before the end of the input");
                }
                recEnd = pos;
                break;
            }
            byte c = buf[pos];
            if (inQuotes) {
                final int ms = maxQuotedStop;
                final byte[] bb = buf;
                final int l = lim;
                int p = pos;
                while (p < l) {
                    byte x = bb[p];
                    if (x <= ms && (x == quote || x == '\n' || x == '\r')) {
                        break;
                    }
                    high |= x;
                    p++;
                }
                pos = p;
                if (p >= l) {
                    continue; // fill at the top
                }
                c = bb[p];
                if (c == '\n' || c == '\r') {
                    consumeNewline(); // a line break inside quotes: content, but a line all the same
                } else { // a quote: doubled (literal) or closing
                    sawQuote = true;
                    pos++;
                    if (pos >= lim && !fill()) {
                        recEnd = pos;
                        break;
                    }
                    byte n = buf[pos];
                    if (n == quote) {
                        pos++;
                        continue;
                    }
                    inQuotes = false;
                    fieldStart = false;
                    scanQuoteStart = -1;
                    if (strict && n != delim && n != '\n' && n != '\r') {
                        throw error(
                                line,
                                String.format(
                                        Locale.ROOT,
                                        "unexpected character '%s' after the closing quote of field %d",
                                        printable(n),
                                        delims + 1));
                    }
                }
                continue;
            }
            if (c == delim) {
                delims++;
                fieldStart = true;
                pos++;
            } else if (c == '\n' || c == '\r') {
                int endRel = pos - recStart;
                consumeNewline();
                recEnd = recStart + endRel;
                break;
            } else if (c == quote && fieldStart) {
                sawQuote = true;
                inQuotes = true;
                openedAt = line;
                scanQuoteStart = pos - recStart;
                pos++;
            } else {
                sawQuote |= c == quote;
                high |= c;
                fieldStart = false;
                pos++;
            }
        }
        fieldCount = delims + 1;
        recQuoted = sawQuote;
        recHigh = (high & 0x8080808080808080L) != 0;
        checkRecord();
        if (recEnd - recStart > maxFieldSize) {
            int[] b = bounds();
            for (int i = 0; i < fieldCount; i++) {
                if (b[2 * i + 1] - (b[2 * i] & OFFSET_MASK) > maxFieldSize) {
                    throw error(
                            recLine,
                            String.format(
                                    Locale.ROOT,
                                    "field %d is longer than the maximum field size of %,d bytes",
                                    i + 1,
                                    maxFieldSize));
                }
            }
        }
    }

    /** Fails a complete record that has too many fields or too many bytes. */
    private void checkRecord() {
        if (fieldCount > maxFields) {
            throw error(
                    recLine,
                    String.format(
                            Locale.ROOT,
                            "the record has %,d fields, more than the maximum of %,d fields a record",
                            fieldCount,
                            maxFields));
        }
        if (recEnd - recStart > maxRecordSize) {
            throw recordTooLong();
        }
    }

    private DataException recordTooLong() {
        return error(
                recLine,
                String.format(
                        Locale.ROOT,
                        "the record is longer than the maximum record size of %,d bytes (is a quote not closed?)",
                        maxRecordSize));
    }

    /** While scanning: where the open quoted field started (relative to the record), or -1. */
    private int scanQuoteStart = -1;

    /** While scanning, at a buffer growth: whether the field being scanned is already too long. */
    private boolean scanFieldTooLong() {
        int at = pos - recStart;
        if (scanQuoteStart >= 0) {
            return at - scanQuoteStart - 2 > maxFieldSize; // not counting the quotes; exact at the record's end
        }
        int i = pos - 1;
        int floor = Math.max(recStart, pos - maxFieldSize - 1);
        while (i >= floor && buf[i] != delim) {
            i--;
        }
        return i < floor && floor > recStart;
    }

    /**
     * Splits a complete record's raw bytes {@code d[off, off + len)} into field bounds relative to {@code off} (2
     * ints a field; {@link #QUOTED} and {@link #COMPLEX} in the starts' top bits), with the semantics of {@link
     * #parseFields}. Returns the number of fields.
     */
    static int split(byte[] d, int off, int len, int delim, int quote, int[] out) {
        return (int) splitSome(d, off, len, delim, quote, out, 0, 0, Integer.MAX_VALUE);
    }

    /**
     * Splits fields {@code n, n + 1, ...} of a complete record, the next starting at {@code p}, until field {@code
     * until} is split or the record ends. Returns {@code (p << 32) | n} after it: the next field's start (or {@code
     * len + 1} when every field is split) and the number of fields split.
     */
    static long splitSome(byte[] d, int off, int len, int delim, int quote, int[] out, int n, int p, int until) {
        while (p <= len && n <= until) {
            int fs = p;
            int start;
            int end;
            int flags = 0;
            if (p < len && d[off + p] == quote) {
                flags = QUOTED;
                p++;
                boolean closed = false;
                while (p < len) {
                    byte c = d[off + p];
                    if (c != quote) {
                        p++;
                        continue;
                    }
                    if (p + 1 < len && d[off + p + 1] == quote) {
                        flags |= COMPLEX;
                        p += 2;
                        continue;
                    }
                    p++; // the closing quote
                    closed = true;
                    if (p < len && d[off + p] != delim) {
                        flags |= COMPLEX; // text after the closing quote
                        while (p < len && d[off + p] != delim) {
                            p++;
                        }
                    }
                    break;
                }
                end = p; // not closed: the field ends with the record (lenient)
                if (!closed) {
                    flags |= COMPLEX; // raw bytes with an open quote are never what a writer writes
                }
                if ((flags & COMPLEX) != 0) {
                    start = fs;
                } else {
                    start = fs + 1;
                    end = closed ? p - 1 : p;
                }
            } else {
                while (p < len && d[off + p] != delim) {
                    p++;
                }
                start = fs;
                end = p;
            }
            if (2 * n + 2 > out.length) {
                break; // more fields than the record was counted with: cannot happen for a scanned record
            }
            out[2 * n] = start | (flags << 30);
            out[2 * n + 1] = end;
            n++;
            p++; // past the delimiter, or to len + 1 after the last field
        }
        return ((long) p << 32) | n;
    }

    private void start() throws IOException {
        fill();
        if (base == 0
                && lim - pos >= 3
                && buf[pos] == (byte) 0xEF
                && buf[pos + 1] == (byte) 0xBB
                && buf[pos + 2] == (byte) 0xBF) {
            pos += 3; // a UTF-8 byte-order mark
        }
    }

    private void parseFields() throws IOException {
        while (true) {
            fieldStart = pos - recStart;
            if (pos >= lim && !fill()) {
                addField(pos - recStart, pos - recStart, 0); // the input ends right after a delimiter
                recEnd = pos;
                checkRecord();
                return;
            }
            if (buf[pos] == quote) {
                parseQuoted();
            } else {
                parseUnquoted(0, pos - recStart);
            }
            if (pos >= lim && !fill()) {
                recEnd = pos;
                checkRecord();
                return;
            }
            byte b = buf[pos];
            if (b == delim) {
                pos++;
                continue;
            }
            int endRel = pos - recStart; // CR or LF; relative, since consumeNewline may compact the buffer
            consumeNewline();
            recEnd = recStart + endRel;
            checkRecord();
            return;
        }
    }

    /** Scans to the next delimiter or line break; {@code start} is relative to the record. */
    private void parseUnquoted(int flags, int start) throws IOException {
        final int d = delim;
        final int e = escape;
        while (true) {
            byte[] bb = buf;
            int p = pos;
            int l = lim;
            final int ms = maxStop;
            while (p < l) {
                byte c = bb[p];
                // one compare for the common byte (signed: non-ASCII bytes are negative and take the exact check)
                if (c <= ms && (c == d || c == '\n' || c == '\r' || c == e)) {
                    break;
                }
                p++;
            }
            pos = p;
            if (p >= l) {
                if (!fill()) {
                    break;
                }
                continue;
            }
            if (bb[p] == e) {
                flags |= COMPLEX;
                pos++;
                if (pos >= lim && !fill()) {
                    break;
                }
                byte escaped = buf[pos++]; // the escaped byte, whatever it is
                if (escaped == '\n' || (escaped == '\r' && !((pos < lim || fill()) && buf[pos] == '\n'))) {
                    line++;
                }
                continue;
            }
            break;
        }
        addField(start, pos - recStart, flags);
    }

    private void parseQuoted() throws IOException {
        final long openedAt = line;
        final int rawStart = pos - recStart;
        pos++;
        final int contentStart = pos - recStart;
        int flags = QUOTED;
        final int q = quote;
        final int e = escape;
        while (true) {
            byte[] bb = buf;
            int p = pos;
            int l = lim;
            final int ms = maxQuotedStop;
            while (p < l) {
                byte c = bb[p];
                if (c <= ms && (c == q || c == e || c == '\n' || c == '\r')) {
                    break;
                }
                p++;
            }
            pos = p;
            if (p >= l) {
                if (!fill()) {
                    if (strict) {
                        throw error(
                                openedAt,
                                "a quoted field opened on line " + fmt(openedAt)
                                        + " is not closed before the end of the input");
                    }
                    // lenient, like Python's csv module: the field ends with the input
                    addField((flags & COMPLEX) != 0 ? rawStart : contentStart, pos - recStart, flags);
                    return;
                }
                continue;
            }
            byte c = bb[p];
            if (c == '\n' || c == '\r') {
                consumeNewline(); // a line break inside quotes: content, but a line all the same
            } else if (c == e) {
                flags |= COMPLEX;
                pos++;
                if (pos >= lim && !fill()) {
                    throw error(openedAt, "the input ends after an escape character in a quoted field");
                }
                byte escaped = buf[pos];
                pos++;
                if (escaped == '\n' || (escaped == '\r' && !((pos < lim || fill()) && buf[pos] == '\n'))) {
                    line++;
                }
            } else { // a quote
                pos++;
                if (pos >= lim && !fill()) {
                    break; // closing quote at the end of the input
                }
                byte n = buf[pos];
                if (n == q) {
                    flags |= COMPLEX; // a doubled quote
                    pos++;
                    continue;
                }
                if (n == delim || n == '\n' || n == '\r') {
                    break;
                }
                if (strict) {
                    throw error(
                            line,
                            String.format(
                                    Locale.ROOT,
                                    "unexpected character '%s' after the closing quote of field %d",
                                    printable(n),
                                    fieldCount + 1));
                }
                parseUnquoted(flags | COMPLEX, rawStart); // Python and Excel keep the text after the quote
                return;
            }
        }
        if ((flags & COMPLEX) != 0) {
            addField(rawStart, pos - recStart, flags);
        } else {
            addField(contentStart, pos - recStart - 1, flags);
        }
    }

    private static String printable(byte b) {
        return b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format(Locale.ROOT, "\\x%02X", b & 0xff);
    }

    private void addField(int start, int end, int flags) {
        if (end - start > maxFieldSize) {
            throw error(
                    recLine,
                    String.format(
                            Locale.ROOT,
                            "field %d is longer than the maximum field size of %,d bytes",
                            fieldCount + 1,
                            maxFieldSize));
        }
        if (fieldCount >= maxFields) {
            throw error(
                    recLine,
                    String.format(
                            Locale.ROOT, "the record has more than the maximum of %,d fields a record", maxFields));
        }
        int i = fieldCount * 2;
        if (i + 2 > bounds.length) {
            bounds = Arrays.copyOf(bounds, bounds.length * 2);
        }
        bounds[i] = start | (flags << 30);
        bounds[i + 1] = end;
        fieldCount++;
    }

    private void consumeNewline() throws IOException {
        byte b = buf[pos++];
        if (b == '\r' && (pos < lim || fill()) && buf[pos] == '\n') {
            pos++;
        }
        line++;
    }

    private void skipLine() throws IOException {
        while (true) {
            while (pos < lim) {
                byte b = buf[pos];
                if (b == '\n' || b == '\r') {
                    consumeNewline();
                    return;
                }
                pos++;
            }
            recStart = pos; // nothing of a comment needs keeping
            if (!fill()) {
                return;
            }
        }
    }

    /** Reads more input, keeping the current record; false at the end of the input. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (recStart > 0) {
            int keep = lim - recStart;
            base += recStart;
            System.arraycopy(buf, recStart, buf, 0, keep);
            pos -= recStart;
            lim = keep;
            recStart = 0;
        }
        if (lim == buf.length) {
            if (scan ? scanFieldTooLong() : pos - recStart - fieldStart > maxFieldSize) {
                throw error(
                        recLine,
                        scan
                                ? String.format(
                                        Locale.ROOT,
                                        "a field is longer than the maximum field size of %,d bytes (is a quote not "
                                                + "closed?)",
                                        maxFieldSize)
                                : String.format(
                                        Locale.ROOT,
                                        "field %d is longer than the maximum field size of %,d bytes (is a quote not closed?)",
                                        fieldCount + 1,
                                        maxFieldSize));
            }
            if (buf.length >= maxBuffer) {
                throw recordTooLong();
            }
            buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, maxBuffer));
        }
        int n;
        do {
            n = in.read(buf, lim, buf.length - lim);
        } while (n == 0);
        if (n < 0) {
            eof = true;
            return false;
        }
        lim += n;
        return true;
    }

    private DataException error(long atLine, String message) {
        Location where = new Location(sourceName, atLine, -1);
        return new DataException(where + ": " + message, where, null);
    }

    private static String fmt(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * Unescapes a complex field's raw bytes {@code data[start, end)} into {@code out}; returns the length. Python's
     * csv semantics: inside quotes a doubled quote is one quote and the escape character makes the next byte
     * literal; after the closing quote, text (quotes included) is kept literally.
     */
    static int unescape(byte[] data, int start, int end, int quote, int escape, byte[] out) {
        int o = 0;
        int i = start;
        boolean inQuotes = false;
        if (i < end && data[i] == quote) {
            inQuotes = true;
            i++;
        }
        while (i < end) {
            byte b = data[i];
            if (b == escape && escape != NO_CHAR) {
                i++;
                if (i < end) {
                    out[o++] = data[i++];
                }
                continue;
            }
            if (inQuotes && b == quote) {
                if (i + 1 < end && data[i + 1] == quote) {
                    out[o++] = (byte) quote;
                    i += 2;
                } else {
                    inQuotes = false;
                    i++;
                }
                continue;
            }
            out[o++] = b;
            i++;
        }
        return o;
    }

    static int noChar() {
        return NO_CHAR;
    }
}
