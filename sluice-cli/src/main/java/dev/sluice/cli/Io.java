package dev.sluice.cli;

import dev.sluice.Output;
import dev.sluice.Row;
import dev.sluice.Sink;
import dev.sluice.Source;
import dev.sluice.csv.Csv;
import dev.sluice.csv.CsvFormat;
import dev.sluice.json.JsonLines;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The command line's inputs and outputs: {@code -} for standard input and output, globs, and the format by the
 * file's extension (CSV, TSV, JSON Lines; {@code .gz} either way).
 */
final class Io {
    private Io() {}

    /** Where records written to {@code -} go: standard output, or a test's buffer. */
    static volatile OutputStream stdout = new java.io.FileOutputStream(java.io.FileDescriptor.out);
    /** Where {@code -} is read from: standard input, or a test's bytes. */
    static volatile InputStream stdin = System.in;

    enum Format {
        CSV,
        TSV,
        JSONL;

        static Format of(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.endsWith(".gz")) {
                n = n.substring(0, n.length() - 3);
            }
            if (n.endsWith(".jsonl") || n.endsWith(".ndjson")) {
                return JSONL;
            }
            if (n.endsWith(".tsv") || n.endsWith(".tab")) {
                return TSV;
            }
            if (n.endsWith(".csv") || n.endsWith(".txt")) {
                return CSV;
            }
            return null;
        }
    }

    static boolean isGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    /**
     * The files named by {@code args}: each is a path, {@code -}, or a glob ({@code pv_*.csv}, {@code data/**.csv})
     * expanded in sorted order when no file has that literal name. A glob that matches nothing is an error.
     */
    static List<String> expand(List<String> args) throws IOException {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            if (a.equals("-") || !isGlob(a) || Files.exists(Path.of(a))) {
                out.add(a);
                continue;
            }
            Path p = Path.of(a);
            // the longest leading part without glob characters is the directory to search
            Path base = null;
            for (Path part : p) {
                if (isGlob(part.toString())) {
                    break;
                }
                base = base == null ? part : base.resolve(part);
            }
            if (p.isAbsolute()) {
                base = base == null ? p.getRoot() : p.getRoot().resolve(base);
            }
            Path dir = base == null || base.equals(p) ? Path.of("") : base;
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + a);
            List<String> found = new ArrayList<>();
            boolean deep = a.contains("**");
            if (Files.isDirectory(dir.toString().isEmpty() ? Path.of(".") : dir)) {
                if (deep) {
                    try (var walk = Files.walk(dir.toString().isEmpty() ? Path.of(".") : dir)) {
                        walk.filter(Files::isRegularFile)
                                .map(x ->
                                        dir.toString().isEmpty() ? Path.of(".").relativize(x) : x)
                                .filter(m::matches)
                                .forEach(x -> found.add(x.toString()));
                    }
                } else {
                    try (DirectoryStream<Path> ds =
                            Files.newDirectoryStream(dir.toString().isEmpty() ? Path.of(".") : dir)) {
                        for (Path x : ds) {
                            Path rel = dir.toString().isEmpty() ? x.getFileName() : x;
                            if (m.matches(rel) && Files.isRegularFile(x)) {
                                found.add(rel.toString());
                            }
                        }
                    }
                }
            }
            if (found.isEmpty()) {
                throw new NoSuchFileException(a, null, "no file matches this pattern");
            }
            found.sort(null);
            out.addAll(found);
        }
        return out;
    }

    /** Standard input, not closed by a run. */
    static InputStream stdinStream() {
        return new FilterInputStream(stdin) {
            @Override
            public void close() {}
        };
    }

    /** The records of {@code inputs} (after {@link #expand}), as CSV or JSON Lines by extension or by {@code as}. */
    static Source<Row> source(List<String> inputs, DialectOptions d) {
        if (inputs.isEmpty()) {
            throw new UsageError("no input: give a file, a glob, or - for standard input");
        }
        Format f = d.inFormat != null ? d.inFormat : inputs.get(0).equals("-") ? Format.CSV : Format.of(inputs.get(0));
        if (f == null) {
            f = Format.CSV; // CSV is the default for any other name
        }
        if (inputs.contains("-") && inputs.size() > 1) {
            throw new UsageError("- (standard input) must be the only input");
        }
        CsvFormat csv = d.format();
        if (f == Format.TSV && d.delimiter == null) {
            csv = csv.withDelimiter('\t');
        }
        if (f == Format.JSONL) {
            if (inputs.size() > 1) {
                throw new UsageError("several JSON Lines inputs are not supported yet; give one (or concatenate them: "
                        + "cat a.jsonl b.jsonl | sluice ... - --in-format jsonl)");
            }
            return inputs.get(0).equals("-")
                    ? JsonLines.read("stdin", Io::stdinStream)
                    : JsonLines.read(Path.of(inputs.get(0)));
        }
        if (inputs.get(0).equals("-")) {
            return Csv.read("stdin", Io::stdinStream).withFormat(csv);
        }
        List<Path> files = new ArrayList<>();
        for (String s : inputs) {
            files.add(Path.of(s));
        }
        return Csv.read(files).withFormat(csv);
    }

    /** The file for progress, if the input is one file. */
    static Path progressFile(List<String> inputs) {
        return inputs.size() == 1 && !inputs.get(0).equals("-") ? Path.of(inputs.get(0)) : null;
    }

    /** Standard output (or a test's buffer), flushed and left open when a run ends. */
    static Output stdoutOutput() {
        OutputStream s = stdout;
        return Output.leftOpen("stdout", () -> s);
    }

    /**
     * The sink for {@code out}: in format {@code as} if given, else by the name's extension; a name without one
     * ({@code -}, {@code /dev/stdout}, a FIFO) gets {@code otherwise}, and an unknown extension is refused.
     */
    static Sink<Row> sink(String out, Format as, Format otherwise, boolean noClobber, boolean mkdirs) {
        Format f = as;
        if (f == null) {
            String last = out.equals("-") ? "" : String.valueOf(Path.of(out).getFileName());
            f = last.indexOf('.', 1) < 0 ? otherwise : Format.of(out);
        }
        if (f == null) {
            throw new UsageError(
                    "cannot tell the format of " + out + " from its name: use .csv, .tsv, .jsonl or .ndjson "
                            + "(with .gz to compress), or say it with --out-format");
        }
        Output o = out.equals("-")
                ? stdoutOutput()
                : Output.file(Path.of(out)).withOverwrite(!noClobber).withCreateDirectories(mkdirs);
        switch (f) {
            case JSONL:
                return JsonLines.write(o);
            case TSV:
                return Csv.write(o).withFormat(CsvFormat.DEFAULT.withDelimiter('\t'));
            default:
                return Csv.write(o);
        }
    }
}
