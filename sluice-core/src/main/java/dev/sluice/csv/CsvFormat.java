package dev.sluice.csv;

import java.io.Serializable;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A CSV dialect, for reading and writing; immutable, each {@code withX} returns a copy. {@link #DEFAULT} is RFC
 * 4180 with a header, read leniently the way Python's {@code csv} module and Excel do: a quote inside an unquoted
 * field is literal, text after a closing quote is kept.
 *
 * <pre>{@code
 * CsvFormat tsv = CsvFormat.DEFAULT.withDelimiter('\t').withQuote(CsvFormat.NONE);
 * CsvFormat pg = CsvFormat.DEFAULT.withEmptyAsNull(true);   // PostgreSQL COPY ... CSV
 * }</pre>
 *
 * <p>Reading accepts LF, CRLF and CR line endings (mixed, too), strips a UTF-8 byte-order mark, and reads gzip
 * input transparently (detected by its magic bytes).
 */
public final class CsvFormat implements Serializable, Cloneable {
    private static final long serialVersionUID = 2L;

    /** For {@link #withQuote}, {@link #withEscape} and {@link #withComment}: no such character. */
    public static final char NONE = '\0';

    /** The default dialect; see each {@code withX} for its default. */
    public static final CsvFormat DEFAULT = new CsvFormat();

    // Not final only so that copies can be edited before they are published; a CsvFormat never changes once made.
    private char delimiter = ',';
    private char quote = '"';
    private char escape = NONE;
    private char comment = NONE;
    private boolean header = true;
    private transient Charset charset = StandardCharsets.UTF_8;
    private String charsetName = "UTF-8";
    private boolean skipEmptyLines = true;
    private int maxFieldSize = 8 << 20;
    private int maxRecordSize = 8 << 20;
    private int maxFields = 100_000;
    private RaggedPolicy ragged = RaggedPolicy.FAIL;
    private boolean emptyAsNull;
    private boolean strict;
    private Quoting quoting = Quoting.MINIMAL;
    private String lineEnding = "\n";

    private CsvFormat() {}

    /** A copy with {@code edit} applied, validated. */
    private CsvFormat with(java.util.function.Consumer<CsvFormat> edit) {
        CsvFormat c;
        try {
            c = (CsvFormat) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
        edit.accept(c);
        c.validate();
        return c;
    }

    private void validate() {
        if (delimiter == NONE || delimiter == '\r' || delimiter == '\n') {
            throw new IllegalArgumentException(
                    "delimiter must be a character other than CR, LF and NUL, was " + (int) delimiter);
        }
        check("quote", quote);
        check("escape", escape);
        check("comment", comment);
        if (escape != NONE && escape == quote) {
            throw new IllegalArgumentException("escape character must differ from the quote character ('" + quote
                    + "'); doubled quotes inside quotes are always understood");
        }
        if (comment != NONE && (comment == quote || comment == escape)) {
            throw new IllegalArgumentException(
                    "comment character must differ from the quote and escape characters, was '" + comment + "'");
        }
    }

    private void check(String what, char c) {
        if (c != NONE && (c == delimiter || c == '\r' || c == '\n')) {
            throw new IllegalArgumentException(
                    what + " character must differ from the delimiter, CR and LF, was '" + c + "'");
        }
        if (c > 0x7f) {
            throw new IllegalArgumentException(what + " character must be ASCII, was '" + c + "'");
        }
    }

    /** The field delimiter, an ASCII character. Default {@code ,}. */
    public CsvFormat withDelimiter(char c) {
        if (c > 0x7f) {
            throw new IllegalArgumentException("delimiter must be ASCII, was '" + c + "'");
        }
        return with(f -> f.delimiter = c);
    }

    /** The quote character, or {@link #NONE}. Default {@code "}; inside quotes it is escaped by doubling. */
    public CsvFormat withQuote(char c) {
        return with(f -> f.quote = c);
    }

    /** An escape character that makes the next character literal (e.g. {@code \}), or {@link #NONE}. Default NONE. */
    public CsvFormat withEscape(char c) {
        return with(f -> f.escape = c);
    }

    /** Lines starting with this character are comments and skipped, or {@link #NONE}. Default NONE. */
    public CsvFormat withComment(char c) {
        return with(f -> f.comment = c);
    }

    /**
     * Whether the first record is a header naming the columns. Default true. Without one, columns are named
     * {@code 1, 2, 3, ...} after the first record's width.
     */
    public CsvFormat withHeader(boolean b) {
        return with(f -> f.header = b);
    }

    /**
     * The character set. Default UTF-8. Any charset works; ASCII-compatible ones are parsed without transcoding.
     * Bytes that are not valid in it are read as U+FFFD (the replacement character), or, with {@link
     * #withStrict strict}, are an error naming the line.
     */
    public CsvFormat withCharset(Charset cs) {
        Objects.requireNonNull(cs, "charset");
        return with(f -> {
            f.charset = cs;
            f.charsetName = cs.name();
        });
    }

    /** Whether empty lines are skipped (true) or read as records with one empty field. Default true. */
    public CsvFormat withSkipEmptyLines(boolean b) {
        return with(f -> f.skipEmptyLines = b);
    }

    /**
     * The longest field allowed, in bytes; a longer one fails the read (it usually means an unbalanced quote has
     * swallowed the rest of the file). Default 8 MiB, like the record size.
     */
    public CsvFormat withMaxFieldSize(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("maxFieldSize must be positive, was " + bytes);
        }
        return with(f -> f.maxFieldSize = bytes);
    }

    /**
     * The longest record allowed, in bytes, line breaks inside quotes included; a longer one fails the read with
     * the file and line. The reader's buffer never grows past it, so it bounds the memory one record can take.
     * Default 8 MiB (so one record takes at most a few times that in memory, even under a 64 MB heap); at most 1 GiB.
     */
    public CsvFormat withMaxRecordSize(int bytes) {
        if (bytes <= 0 || bytes > (1 << 30) - (1 << 17)) {
            throw new IllegalArgumentException("maxRecordSize must be between 1 and 1,073,610,752 bytes, was " + bytes);
        }
        return with(f -> f.maxRecordSize = bytes);
    }

    /** The most fields a record may have; a record with more fails the read with the file and line. Default 100,000. */
    public CsvFormat withMaxFields(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("maxFields must be positive, was " + n);
        }
        return with(f -> f.maxFields = n);
    }

    /** What to do with records whose width differs from the header's. Default {@link RaggedPolicy#FAIL}. */
    public CsvFormat withRagged(RaggedPolicy p) {
        Objects.requireNonNull(p, "ragged");
        return with(f -> f.ragged = p);
    }

    /**
     * Whether an unquoted empty field is read as absent ({@code null}) while a quoted one ({@code ""}) stays empty,
     * as PostgreSQL's CSV format has it. Default false: both are empty strings.
     */
    public CsvFormat withEmptyAsNull(boolean b) {
        return with(f -> f.emptyAsNull = b);
    }

    /**
     * Strict RFC 4180: text after a closing quote, a quoted field still open at the end of the input, and bytes
     * that are not valid in the charset are errors. Default false: lenient, like Python's csv module and Excel (the
     * text is kept; the field ends with the input; invalid bytes read as U+FFFD).
     */
    public CsvFormat withStrict(boolean b) {
        return with(f -> f.strict = b);
    }

    /** Writing: when to quote. Default {@link Quoting#MINIMAL}. */
    public CsvFormat withQuoting(Quoting q) {
        Objects.requireNonNull(q, "quoting");
        return with(f -> f.quoting = q);
    }

    /** Writing: the record terminator, {@code "\n"}, {@code "\r\n"} or {@code "\r"}. Default {@code "\n"}. */
    public CsvFormat withLineEnding(String s) {
        if (!"\n".equals(s) && !"\r\n".equals(s) && !"\r".equals(s)) {
            throw new IllegalArgumentException("lineEnding must be \\n, \\r\\n or \\r, was '"
                    + s.replace("\r", "\\r").replace("\n", "\\n") + "'");
        }
        return with(f -> f.lineEnding = s);
    }

    /** The field delimiter. */
    public char delimiter() {
        return delimiter;
    }

    /** The quote character, or {@link #NONE}. */
    public char quote() {
        return quote;
    }

    /** The escape character, or {@link #NONE}. */
    public char escape() {
        return escape;
    }

    /** The comment character, or {@link #NONE}. */
    public char comment() {
        return comment;
    }

    /** Whether the first record is a header. */
    public boolean header() {
        return header;
    }

    /** The character set. */
    public Charset charset() {
        return charset != null ? charset : Charset.forName(charsetName);
    }

    /** Whether empty lines are skipped. */
    public boolean skipEmptyLines() {
        return skipEmptyLines;
    }

    /** The longest field allowed, in bytes. */
    public int maxFieldSize() {
        return maxFieldSize;
    }

    /** The longest record allowed, in bytes. */
    public int maxRecordSize() {
        return maxRecordSize;
    }

    /** The most fields a record may have. */
    public int maxFields() {
        return maxFields;
    }

    /** What happens to records whose width differs from the header's. */
    public RaggedPolicy ragged() {
        return ragged;
    }

    /** Whether unquoted empty fields are absent. */
    public boolean emptyAsNull() {
        return emptyAsNull;
    }

    /** Whether reading is strict. */
    public boolean strict() {
        return strict;
    }

    /** Writing: when to quote. */
    public Quoting quoting() {
        return quoting;
    }

    /** Writing: the record terminator. */
    public String lineEnding() {
        return lineEnding;
    }

    private Object readResolve() {
        return with(f -> f.charset = Charset.forName(charsetName));
    }
}
