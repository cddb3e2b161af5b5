package dev.sluice.csv;

import dev.sluice.Output;
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

    /**
     * Reads several files one after another as one source, e.g. a year's monthly exports. With a header (the
     * default), every file must have the first one's columns, checked as each is opened; every record's errors name
     * its own file and line. One file reads exactly as {@link #read(Path)}.
     */
    public static CsvSource read(java.util.List<Path> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no files to read");
        }
        for (Path f : files) {
            Objects.requireNonNull(f, "file");
        }
        if (files.size() == 1) {
            return read(files.get(0));
        }
        Path first = files.get(0);
        return new CsvSource(
                first,
                java.util.List.copyOf(files.subList(1, files.size())),
                null,
                first.getFileName() + " and " + (files.size() - 1) + " more",
                CsvFormat.DEFAULT);
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

    /**
     * Writes {@code file} with the default dialect (header, minimal quoting, LF line endings, UTF-8), replacing it
     * atomically when the run succeeds; see {@link Output} for how files, links, pipes and devices are treated.
     */
    public static CsvSink write(Path file) {
        return write(Output.file(file));
    }

    /** Writes to {@code output}: a file, standard output ({@link Output#stdout()}) or a stream. */
    public static CsvSink write(Output output) {
        return new CsvSink(Objects.requireNonNull(output, "output"), CsvFormat.DEFAULT);
    }

    /**
     * Writes to {@code stream}, e.g. {@code System.out}; the stream is flushed and left open when the run ends.
     * One run only: the stream is not reopened.
     */
    public static CsvSink write(java.io.OutputStream stream) {
        Objects.requireNonNull(stream, "stream");
        return write(Output.stream("stream", () -> new dev.sluice.internal.OutputFiles.Unclosed(stream)));
    }

    /** Writes {@code file} with {@code format}. */
    public static CsvSink write(Path file, CsvFormat format) {
        return write(file).withFormat(format);
    }
}
