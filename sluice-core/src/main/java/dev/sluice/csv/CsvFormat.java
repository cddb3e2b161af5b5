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
public final class CsvFormat implements Serializable {
  private static final long serialVersionUID = 1L;

  /** For {@link #withQuote}, {@link #withEscape} and {@link #withComment}: no such character. */
  public static final char NONE = '\0';

  /** The default dialect; see each {@code withX} for its default. */
  public static final CsvFormat DEFAULT = new CsvFormat(',', '"', NONE, NONE, true, StandardCharsets.UTF_8, true,
      16 << 20, RaggedPolicy.FAIL, false, false, Quoting.MINIMAL, "\n");

  private final char delimiter;
  private final char quote;
  private final char escape;
  private final char comment;
  private final boolean header;
  private final transient Charset charset;
  private final String charsetName;
  private final boolean skipEmptyLines;
  private final int maxFieldSize;
  private final RaggedPolicy ragged;
  private final boolean emptyAsNull;
  private final boolean strict;
  private final Quoting quoting;
  private final String lineEnding;

  private CsvFormat(char delimiter, char quote, char escape, char comment, boolean header, Charset charset,
      boolean skipEmptyLines, int maxFieldSize, RaggedPolicy ragged, boolean emptyAsNull, boolean strict,
      Quoting quoting, String lineEnding) {
    this.delimiter = delimiter;
    this.quote = quote;
    this.escape = escape;
    this.comment = comment;
    this.header = header;
    this.charset = charset;
    this.charsetName = charset.name();
    this.skipEmptyLines = skipEmptyLines;
    this.maxFieldSize = maxFieldSize;
    this.ragged = ragged;
    this.emptyAsNull = emptyAsNull;
    this.strict = strict;
    this.quoting = quoting;
    this.lineEnding = lineEnding;
    if (delimiter == NONE || delimiter == '\r' || delimiter == '\n') {
      throw new IllegalArgumentException("delimiter must be a character other than CR, LF and NUL, was "
          + (int) delimiter);
    }
    check("quote", quote);
    check("escape", escape);
    check("comment", comment);
    if (escape != NONE && escape == quote) {
      throw new IllegalArgumentException("escape character must differ from the quote character ('" + quote
          + "'); doubled quotes inside quotes are always understood");
    }
    if (comment != NONE && (comment == quote || comment == escape)) {
      throw new IllegalArgumentException("comment character must differ from the quote and escape characters, was '"
          + comment + "'");
    }
  }

  private void check(String what, char c) {
    if (c != NONE && (c == delimiter || c == '\r' || c == '\n')) {
      throw new IllegalArgumentException(what + " character must differ from the delimiter, CR and LF, was '" + c + "'");
    }
    if (c > 0x7f) {
      throw new IllegalArgumentException(what + " character must be ASCII, was '" + c + "'");
    }
  }

  private CsvFormat copy(char delimiter, char quote, char escape, char comment, boolean header, Charset charset,
      boolean skipEmptyLines, int maxFieldSize, RaggedPolicy ragged, boolean emptyAsNull, boolean strict,
      Quoting quoting, String lineEnding) {
    return new CsvFormat(delimiter, quote, escape, comment, header, charset, skipEmptyLines, maxFieldSize, ragged,
        emptyAsNull, strict, quoting, lineEnding);
  }

  /** The field delimiter, an ASCII character. Default {@code ,}. */
  public CsvFormat withDelimiter(char c) {
    if (c > 0x7f) {
      throw new IllegalArgumentException("delimiter must be ASCII, was '" + c + "'");
    }
    return copy(c, quote, escape, comment, header, charset, skipEmptyLines, maxFieldSize, ragged, emptyAsNull, strict, quoting, lineEnding);
  }

  /** The quote character, or {@link #NONE}. Default {@code "}; inside quotes it is escaped by doubling. */
  public CsvFormat withQuote(char c) {
    return copy(delimiter, c, escape, comment, header, charset, skipEmptyLines, maxFieldSize, ragged, emptyAsNull, strict, quoting, lineEnding);
  }

  /** An escape character that makes the next character literal (e.g. {@code \}), or {@link #NONE}. Default NONE. */
  public CsvFormat withEscape(char c) {
    return copy(delimiter, quote, c, comment, header, charset, skipEmptyLines, maxFieldSize, ragged, emptyAsNull, strict, quoting, lineEnding);
  }

  /** Lines starting with this character are comments and skipped, or {@link #NONE}. Default NONE. */
  public CsvFormat withComment(char c) {
    return copy(delimiter, quote, escape, c, header, charset, skipEmptyLines, maxFieldSize, ragged, emptyAsNull, strict, quoting, lineEnding);
  }

  /**
   * Whether the first record is a header naming the columns. Default true. Without one, columns are named
   * {@code 1, 2, 3, ...} after the first record's width.
   */
  public CsvFormat withHeader(boolean b) {
    return copy(delimiter, quote, escape, comment, b, charset, skipEmptyLines, maxFieldSize, ragged, emptyAsNull, strict, quoting, lineEnding);
  }

  /** The character set. Default UTF-8. Any charset works; ASCII-compatible ones are parsed without transcoding. */
  public CsvFormat withCharset(Charset cs) {
    return copy(delimiter, quote, escape, comment, header, Objects.requireNonNull(cs, "charset"), skipEmptyLines, maxFieldSize, ragged, emptyAsNull, strict, quoting, lineEnding);
  }

  /** Whether empty lines are skipped (true) or read as records with one empty field. Default true. */
  public CsvFormat withSkipEmptyLines(boolean b) {
    return copy(delimiter, quote, escape, comment, header, charset, b, maxFieldSize, ragged, emptyAsNull, strict, quoting, lineEnding);
  }

  /**
   * The longest field allowed, in bytes; a longer one fails the read (it usually means an unbalanced quote has
   * swallowed the rest of the file). Default 16 MiB.
   */
  public CsvFormat withMaxFieldSize(int bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("maxFieldSize must be positive, was " + bytes);
    }
    return copy(delimiter, quote, escape, comment, header, charset, skipEmptyLines, bytes, ragged, emptyAsNull, strict, quoting, lineEnding);
  }

  /** What to do with records whose width differs from the header's. Default {@link RaggedPolicy#FAIL}. */
  public CsvFormat withRagged(RaggedPolicy p) {
    return copy(delimiter, quote, escape, comment, header, charset, skipEmptyLines, maxFieldSize, Objects.requireNonNull(p, "ragged"), emptyAsNull, strict, quoting, lineEnding);
  }

  /**
   * Whether an unquoted empty field is read as absent ({@code null}) while a quoted one ({@code ""}) stays empty,
   * as PostgreSQL's CSV format has it. Default false: both are empty strings.
   */
  public CsvFormat withEmptyAsNull(boolean b) {
    return copy(delimiter, quote, escape, comment, header, charset, skipEmptyLines, maxFieldSize, ragged, b, strict, quoting, lineEnding);
  }

  /**
   * Strict RFC 4180: text after a closing quote, and a quoted field still open at the end of the input, are
   * errors. Default false: lenient, like Python's csv module and Excel (the text is kept; the field ends with
   * the input).
   */
  public CsvFormat withStrict(boolean b) {
    return copy(delimiter, quote, escape, comment, header, charset, skipEmptyLines, maxFieldSize, ragged, emptyAsNull, b, quoting, lineEnding);
  }

  /** Writing: when to quote. Default {@link Quoting#MINIMAL}. */
  public CsvFormat withQuoting(Quoting q) {
    return copy(delimiter, quote, escape, comment, header, charset, skipEmptyLines, maxFieldSize, ragged, emptyAsNull, strict, Objects.requireNonNull(q, "quoting"), lineEnding);
  }

  /** Writing: the record terminator, {@code "\n"}, {@code "\r\n"} or {@code "\r"}. Default {@code "\n"}. */
  public CsvFormat withLineEnding(String s) {
    if (!"\n".equals(s) && !"\r\n".equals(s) && !"\r".equals(s)) {
      throw new IllegalArgumentException("lineEnding must be \\n, \\r\\n or \\r, was '" + s.replace("\r", "\\r").replace("\n", "\\n") + "'");
    }
    return copy(delimiter, quote, escape, comment, header, charset, skipEmptyLines, maxFieldSize, ragged, emptyAsNull, strict, quoting, s);
  }

  public char delimiter() {
    return delimiter;
  }

  public char quote() {
    return quote;
  }

  public char escape() {
    return escape;
  }

  public char comment() {
    return comment;
  }

  public boolean header() {
    return header;
  }

  public Charset charset() {
    return charset != null ? charset : Charset.forName(charsetName);
  }

  public boolean skipEmptyLines() {
    return skipEmptyLines;
  }

  public int maxFieldSize() {
    return maxFieldSize;
  }

  public RaggedPolicy ragged() {
    return ragged;
  }

  public boolean emptyAsNull() {
    return emptyAsNull;
  }

  public boolean strict() {
    return strict;
  }

  public Quoting quoting() {
    return quoting;
  }

  public String lineEnding() {
    return lineEnding;
  }

  private Object readResolve() {
    return new CsvFormat(delimiter, quote, escape, comment, header, Charset.forName(charsetName), skipEmptyLines,
        maxFieldSize, ragged, emptyAsNull, strict, quoting, lineEnding);
  }
}
