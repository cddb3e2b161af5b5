package dev.sluice.json;

import dev.sluice.Location;
import dev.sluice.Output;
import dev.sluice.Row;
import dev.sluice.Schema;
import dev.sluice.Sink;
import dev.sluice.Source;
import dev.sluice.SourceContext;
import dev.sluice.SourceReader;
import dev.sluice.fn.SupplierFn;
import dev.sluice.internal.InputFiles;
import dev.sluice.internal.JsonObjectParser;
import dev.sluice.internal.OutputFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * JSON Lines (one JSON object per line), both ways.
 *
 * <p>Writing: one object per row, keys in column order, values as strings ({@code null} for absent values). Files
 * are written atomically, pipes and devices in place, as {@link Output} describes.
 *
 * <p>Reading: each line is one object; its keys become columns. The first object's keys are the schema: a later
 * object may leave keys out (their values are absent) or order them differently, but a key the first object did
 * not have rejects that line (under the run's error policy), so no value is ever dropped silently. Strings are
 * read as text, numbers and booleans as their JSON text, {@code null} as absent, and nested objects and arrays as
 * their JSON text. Empty lines are skipped. A line that is not a JSON object is rejected with its line number.
 */
public final class JsonLines {
    private JsonLines() {}

    /** Writes rows to {@code file} as JSON Lines (UTF-8, LF); {@code .gz} compresses. */
    public static Sink<Row> write(Path file) {
        return write(Output.file(file));
    }

    /** Writes rows to {@code output}: a file, standard output or a stream. */
    public static Sink<Row> write(Output output) {
        return new JsonLinesSink(Objects.requireNonNull(output, "output"));
    }

    /** Writes rows to {@code stream}, e.g. {@code System.out}; flushed, not closed, when the run ends. */
    public static Sink<Row> write(OutputStream stream) {
        Objects.requireNonNull(stream, "stream");
        return write(Output.stream("stream", () -> new OutputFiles.Unclosed(stream)));
    }

    /** Reads a JSON Lines file (UTF-8; gzip-compressed or not). */
    public static Source<Row> read(Path file) {
        Objects.requireNonNull(file, "file");
        return new JsonSource(file.toString(), String.valueOf(file.getFileName()), null);
    }

    /** Reads the streams that {@code streams} opens, one per run, named {@code name} in errors. */
    public static Source<Row> read(String name, SupplierFn<InputStream> streams) {
        return new JsonSource(null, Objects.requireNonNull(name, "name"), Objects.requireNonNull(streams, "streams"));
    }

    private static final class JsonSource implements Source<Row> {
        private static final long serialVersionUID = 1L;
        private final String path;
        private final String displayName;
        private final transient SupplierFn<InputStream> streams;

        JsonSource(String path, String displayName, SupplierFn<InputStream> streams) {
            this.path = path;
            this.displayName = displayName;
            this.streams = streams;
        }

        @Override
        public String name() {
            return "jsonl(" + displayName + ")";
        }

        @Override
        public List<Path> inputFiles() {
            return path == null ? List.of() : List.of(Path.of(path));
        }

        @Override
        public SourceReader<Row> open(SourceContext ctx) throws Exception {
            InputFiles.Opened opened = null;
            InputStream in;
            if (path != null) {
                opened = InputFiles.open(Path.of(path), StandardCharsets.UTF_8);
                in = opened.stream;
            } else {
                in = InputFiles.decode(streams.get(), StandardCharsets.UTF_8, displayName);
            }
            return new JsonReader(in, opened, ctx, displayName);
        }
    }

    private static final class JsonReader implements SourceReader<Row> {
        private final BufferedReader in;
        private final InputFiles.Opened opened;
        private final SourceContext ctx;
        private final String name;
        private long line;
        private long records;
        private String current;
        private Schema schema;

        JsonReader(InputStream in, InputFiles.Opened opened, SourceContext ctx, String name) {
            this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
            this.opened = opened;
            this.ctx = ctx;
            this.name = name;
        }

        @Override
        public Row next() throws Exception {
            while (true) {
                try {
                    current = in.readLine();
                } catch (InputFiles.CorruptInputException e) {
                    throw e.at(new Location(name, line + 1, -1));
                }
                if (current == null) {
                    return null;
                }
                line++;
                if (line == 1 && !current.isEmpty() && current.charAt(0) == '\uFEFF') {
                    current = current.substring(1);
                }
                if (current.isBlank()) {
                    continue;
                }
                records++;
                Location where = new Location(name, line, records);
                List<String> keys = new ArrayList<>();
                List<String> values = new ArrayList<>();
                try {
                    new JsonObjectParser(current).parse(keys, values);
                } catch (IllegalArgumentException e) {
                    ctx.reject(where, current, "not a JSON object: " + e.getMessage(), null);
                    continue;
                }
                if (schema == null) {
                    schema = Schema.of(keys);
                }
                Object[] row = new Object[schema.size()];
                boolean sameOrder = keys.size() == schema.size();
                String unknown = null;
                for (int i = 0; i < keys.size(); i++) {
                    String k = keys.get(i);
                    int at = sameOrder && schema.name(i).equals(k) ? i : schema.indexOf(k);
                    if (at < 0) {
                        unknown = k;
                        break;
                    }
                    row[at] = values.get(i);
                }
                if (unknown != null) {
                    ctx.reject(
                            where,
                            current,
                            String.format(
                                    Locale.ROOT,
                                    "key '%s' is not one of the first object's keys %s",
                                    unknown,
                                    abbreviated(schema)),
                            null);
                    continue;
                }
                return Row.of(schema, row, where);
            }
        }

        private static String abbreviated(Schema s) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < Math.min(s.size(), 10); i++) {
                names.add(s.name(i));
            }
            return names + (s.size() > 10 ? " and " + (s.size() - 10) + " more" : "");
        }

        @Override
        public Location location() {
            return new Location(name, line, records);
        }

        @Override
        public String rawText() {
            return current;
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

    /** Appends {@code row} as one JSON object. */
    public static void writeRow(Appendable out, Row row) throws IOException {
        out.append('{');
        for (int i = 0; i < row.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            string(out, row.schema().name(i));
            out.append(':');
            String v = row.get(i);
            if (v == null) {
                out.append("null");
            } else {
                string(out, v);
            }
        }
        out.append('}');
    }

    /** Appends {@code s} as a JSON string literal (RFC 8259 escaping). */
    public static void string(Appendable out, String s) throws IOException {
        JsonBytes b = new JsonBytes(s.length() + 2);
        b.string(s);
        out.append(new String(b.buffer(), 0, b.size(), StandardCharsets.UTF_8));
    }
}
