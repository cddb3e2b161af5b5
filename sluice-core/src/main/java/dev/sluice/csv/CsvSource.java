package dev.sluice.csv;

import dev.sluice.Location;
import dev.sluice.Row;
import dev.sluice.Schema;
import dev.sluice.Source;
import dev.sluice.SourceContext;
import dev.sluice.SourceReader;
import dev.sluice.fn.SupplierFn;
import dev.sluice.internal.Inputs;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A CSV file (or stream) as a source of {@link Row}s. Made by {@link Csv#read}; immutable, configured with
 * {@link #withFormat}. Reading is byte-level and lazy: a field is decoded only when asked for.
 *
 * <p>Errors name the file and line: {@code parking.csv line 787: record 786 has 1 field, but the header has 43}.
 */
public final class CsvSource implements Source<Row> {
  private static final long serialVersionUID = 1L;

  private final Path file;
  private final transient SupplierFn<InputStream> streams;
  private final String displayName;
  private final CsvFormat format;

  CsvSource(Path file, SupplierFn<InputStream> streams, String displayName, CsvFormat format) {
    this.file = file;
    this.streams = streams;
    this.displayName = displayName;
    this.format = format;
  }

  /** This source with another dialect. */
  public CsvSource withFormat(CsvFormat f) {
    return new CsvSource(file, streams, displayName, Objects.requireNonNull(f, "format"));
  }

  /** The dialect. */
  public CsvFormat format() {
    return format;
  }

  /** The file read, or null for a stream source. */
  public Path file() {
    return file;
  }

  @Override
  public String name() {
    return "csv(" + displayName + ")";
  }

  @Override
  public SourceReader<Row> open(SourceContext ctx) throws Exception {
    Charset cs = format.charset();
    Charset rowCharset = Inputs.asciiCompatible(cs) ? cs : StandardCharsets.UTF_8;
    if (file != null) {
      Inputs.Opened o = Inputs.open(file, cs);
      return new Reader(o.stream, o, ctx, rowCharset);
    }
    return new Reader(Inputs.decode(streams.get(), cs), null, ctx, rowCharset);
  }

  private final class Reader implements SourceReader<Row> {
    private final InputStream in;
    private final Inputs.Opened opened;
    private final SourceContext ctx;
    private final Charset charset;
    private final CsvParser parser;
    private CsvRow.Shared shared;
    private int width = -1;
    private long records;
    private CsvRow current;

    Reader(InputStream in, Inputs.Opened opened, SourceContext ctx, Charset charset) {
      this.in = in;
      this.opened = opened;
      this.ctx = ctx;
      this.charset = charset;
      this.parser = new CsvParser(in, format, displayName);
    }

    @Override
    public Row next() throws Exception {
      current = null;
      CsvParser p = parser;
      while (p.next()) {
        if (shared == null && format.header()) {
          readHeader();
          continue;
        }
        records++;
        CsvRow row = copy(p);
        if (shared == null) {
          width = row.fieldCount();
          shared = new CsvRow.Shared(numbered(width), format, charset, displayName);
          row = copy(p);
        }
        if (row.fieldCount() != width && !ragged(row)) {
          continue;
        }
        current = row;
        return row;
      }
      return null;
    }

    private CsvRow copy(CsvParser p) {
      byte[] data = Arrays.copyOfRange(p.buffer(), p.recStart, p.recEnd);
      int[] b = Arrays.copyOf(p.bounds, 2 * p.fieldCount);
      return new CsvRow(shared, data, b, p.fieldCount, p.recLine, records, p.recordOffset());
    }

    /** Applies the ragged policy; returns whether to keep the row. */
    private boolean ragged(CsvRow row) {
      if (format.ragged() == RaggedPolicy.PAD) {
        return true;
      }
      Location where = row.origin();
      String reason = String.format(Locale.ROOT, "record %,d has %d field%s, but the %s has %d",
          records, row.fieldCount(), row.fieldCount() == 1 ? "" : "s",
          format.header() ? "header" : "first record", width);
      if (format.ragged() == RaggedPolicy.SKIP) {
        ctx.skip(where, row.rawText(), reason);
      } else {
        ctx.reject(where, row.rawText(), reason, null);
      }
      return false;
    }

    private void readHeader() {
      CsvParser p = parser;
      CsvRow.Shared tmp = new CsvRow.Shared(numbered(p.fieldCount), format, charset, displayName);
      CsvRow h = new CsvRow(tmp, Arrays.copyOfRange(p.buffer(), p.recStart, p.recEnd),
          Arrays.copyOf(p.bounds, 2 * p.fieldCount), p.fieldCount, p.recLine, 0, p.recordOffset());
      List<String> names = new ArrayList<>();
      for (int i = 0; i < p.fieldCount; i++) {
        String n = h.get(i);
        names.add(n == null ? "" : n);
      }
      width = names.size();
      shared = new CsvRow.Shared(Schema.of(names), format, charset, displayName);
    }

    private Schema numbered(int n) {
      String[] names = new String[n];
      for (int i = 0; i < n; i++) {
        names[i] = Integer.toString(i + 1);
      }
      return Schema.of(names);
    }

    @Override
    public Location location() {
      CsvRow c = current;
      return c != null ? c.origin() : new Location(displayName, parser.line(), records);
    }

    @Override
    public String rawText() {
      CsvRow c = current;
      return c == null ? null : c.rawText();
    }

    @Override
    public double progress() {
      return opened == null ? -1 : opened.progress();
    }

    @Override
    public void close() throws Exception {
      in.close();
    }
  }
}
