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
 * does not fit, up to the maximum field size.
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
      parseFields();
      return true;
    }
  }

  private void start() throws IOException {
    fill();
    if (base == 0 && lim - pos >= 3 && buf[pos] == (byte) 0xEF && buf[pos + 1] == (byte) 0xBB && buf[pos + 2] == (byte) 0xBF) {
      pos += 3; // a UTF-8 byte-order mark
    }
  }

  private void parseFields() throws IOException {
    while (true) {
      fieldStart = pos - recStart;
      if (pos >= lim && !fill()) {
        addField(pos - recStart, pos - recStart, 0); // the input ends right after a delimiter
        recEnd = pos;
        return;
      }
      if (buf[pos] == quote) {
        parseQuoted();
      } else {
        parseUnquoted(0, pos - recStart);
      }
      if (pos >= lim && !fill()) {
        recEnd = pos;
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
            throw error(openedAt, "a quoted field opened on line " + fmt(openedAt)
                + " is not closed before the end of the input");
          }
          // lenient, like Python's csv module: the field ends with the input
          addField((flags & COMPLEX) != 0 ? rawStart : contentStart, pos - recStart, flags);
          return;
        }
        continue;
      }
      byte c = bb[p];
      if (c == '\n') {
        line++;
        pos++;
      } else if (c == '\r') {
        pos++;
        if ((pos < lim || fill()) && buf[pos] == '\n') {
          pos++;
        }
        line++;
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
          throw error(line, String.format(Locale.ROOT,
              "unexpected character '%s' after the closing quote of field %d", printable(n), fieldCount + 1));
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
      throw error(recLine, String.format(Locale.ROOT, "field %d is longer than the maximum field size of %,d bytes",
          fieldCount + 1, maxFieldSize));
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
      if (pos - recStart - fieldStart > maxFieldSize) {
        throw error(recLine, String.format(Locale.ROOT,
            "field %d is longer than the maximum field size of %,d bytes (is a quote not closed?)",
            fieldCount + 1, maxFieldSize));
      }
      if (buf.length >= MAX_BUFFER) {
        throw error(recLine, "a record is longer than 1 GiB (is a quote not closed?)");
      }
      buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, MAX_BUFFER));
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
