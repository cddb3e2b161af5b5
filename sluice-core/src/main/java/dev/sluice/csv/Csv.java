package dev.sluice.csv;

import dev.sluice.fn.SupplierFn;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * CSV sources and sinks.
 *
 * <pre>{@code
 * Flow.from(Csv.read(Path.of("in.csv")))
 *     .filter(r -> r.is("Vehicle Make", "FORD"))
 *     .to(Csv.write(Path.of("fords.csv")))
 *     .run();
 * Flow.from(Csv.read(Path.of("in.tsv")).withFormat(CsvFormat.DEFAULT.withDelimiter('\t')));
 * }</pre>
 */
public final class Csv {
  private Csv() {}

  /** Reads {@code file} (gzip-compressed or not) with the {@link CsvFormat#DEFAULT default} dialect. */
  public static CsvSource read(Path file) {
    Objects.requireNonNull(file, "file");
    return new CsvSource(file, null, file.getFileName().toString(), CsvFormat.DEFAULT);
  }

  /** Reads {@code file} with {@code format}. */
  public static CsvSource read(Path file, CsvFormat format) {
    return read(file).withFormat(format);
  }

  /**
   * Reads the streams that {@code streams} opens, one per run, named {@code name} in errors. The stream is closed
   * when the run ends.
   */
  public static CsvSource read(String name, SupplierFn<InputStream> streams) {
    return new CsvSource(null, Objects.requireNonNull(streams, "streams"), name, CsvFormat.DEFAULT);
  }

  /** Reads CSV text held in a string (UTF-8), e.g. in tests. */
  public static CsvSource parse(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return read("text", () -> new ByteArrayInputStream(bytes));
  }

  /** Writes {@code file} with the default dialect (header, minimal quoting, LF line endings, UTF-8). */
  public static CsvSink write(Path file) {
    return new CsvSink(Objects.requireNonNull(file, "file"), CsvFormat.DEFAULT, true);
  }

  /** Writes {@code file} with {@code format}. */
  public static CsvSink write(Path file, CsvFormat format) {
    return write(file).withFormat(format);
  }
}
