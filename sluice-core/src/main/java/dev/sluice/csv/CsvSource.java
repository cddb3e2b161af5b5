package dev.sluice.csv;

import dev.sluice.Location;
import dev.sluice.Row;
import dev.sluice.Schema;
import dev.sluice.Source;
import dev.sluice.SourceContext;
import dev.sluice.SourceReader;
import dev.sluice.fn.SupplierFn;
import dev.sluice.internal.Inputs;
import dev.sluice.internal.Splittable;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A CSV file (or stream) as a source of {@link Row}s. Made by {@link Csv#read}; immutable, configured with
 * {@link #withFormat}. Reading is byte-level and lazy: a field is decoded only when asked for. An uncompressed
 * file in an ASCII-compatible charset can be read in parallel by byte ranges ({@link dev.sluice.Flow#parallel}).
 *
 * <p>Errors name the file and line: {@code parking.csv line 787: record 786 has 1 field, but the header has 43}.
 */
public final class CsvSource implements Source<Row>, Splittable {
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

  @Override
  public SplitPlan plan(SourceContext context, int chunkBytes) throws Exception {
    if (file == null || !Inputs.asciiCompatible(format.charset()) || CsvSplitPlan.compressed(file)) {
      return null;
    }
    return new CsvSplitPlan(file, format, displayName, chunkBytes, context);
  }

  /** What the first record (the header, or the first data record) says about every row. */
  static final class Start {
    final CsvRow.Shared shared;
    final int width;
    final boolean firstIsData;

    Start(CsvRow.Shared shared, int width, boolean firstIsData) {
      this.shared = shared;
      this.width = width;
      this.firstIsData = firstIsData;
    }
  }

  /** Reads the parser's current record as the header (or, without one, as the first record's width). */
  static Start start(CsvParser p, CsvFormat format, Charset charset, String name) {
    if (!format.header()) {
      return new Start(new CsvRow.Shared(numbered(p.fieldCount), format, charset, name), p.fieldCount, true);
    }
    CsvRow.Shared tmp = new CsvRow.Shared(numbered(p.fieldCount), format, charset, name);
    CsvRow h = new CsvRow(tmp, Arrays.copyOfRange(p.buffer(), p.recStart, p.recEnd),
        Arrays.copyOf(p.bounds(), 2 * p.fieldCount), p.fieldCount, p.recLine, 0, p.recordOffset(), null, true);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < p.fieldCount; i++) {
      String n = h.get(i);
      names.add(n == null ? "" : n);
    }
    return new Start(new CsvRow.Shared(Schema.of(names), format, charset, name), names.size(), false);
  }

  private static Schema numbered(int n) {
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = Integer.toString(i + 1);
    }
    return Schema.of(names);
  }

  private final class Reader implements SourceReader<Row> {
    private final InputStream in;
    private final Inputs.Opened opened;
    private final SourceContext ctx;
    private final Charset charset;
    private final CsvParser parser;
    private RowMaker maker;
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
        if (maker == null) {
          Start s = start(p, format, charset, displayName);
          maker = new RowMaker(format, s.shared, s.width, ctx, 0, true, null);
          if (!s.firstIsData) {
            continue;
          }
        }
        CsvRow row = maker.make(p);
        if (row != null) {
          current = row;
          return row;
        }
      }
      return null;
    }

    @Override
    public Location location() {
      CsvRow c = current;
      return c != null ? c.origin() : new Location(displayName, parser.line(), maker == null ? 0 : maker.records);
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
