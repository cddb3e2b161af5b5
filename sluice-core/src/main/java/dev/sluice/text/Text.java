package dev.sluice.text;

import dev.sluice.Location;
import dev.sluice.Output;
import dev.sluice.Row;
import dev.sluice.Sink;
import dev.sluice.SinkWriter;
import dev.sluice.Source;
import dev.sluice.SourceContext;
import dev.sluice.SourceReader;
import dev.sluice.internal.FileSinkWriter;
import dev.sluice.internal.InputFiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Text-file sources: a file as a flow of lines (LF, CRLF or CR, mixed; terminators removed). Gzip input is
 * detected and decompressed. Errors and dead letters carry the file name and line number.
 *
 * <pre>{@code
 * Flow.from(Text.lines(Path.of("access.log"))).filter(l -> l.contains(" 404 ")).count();
 * }</pre>
 */
public final class Text {
    private Text() {}

    /** The lines of a UTF-8 file. */
    public static Source<String> lines(Path file) {
        return lines(file, StandardCharsets.UTF_8);
    }

    /** The lines of a file in {@code charset}. */
    public static Source<String> lines(Path file, Charset charset) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(charset, "charset");
        return new LinesSource(file.toString(), charset.name());
    }

    /**
     * A sink writing each record as one line of UTF-8 text ending in LF: a string as it is, a row of one column its
     * value, any other record its {@code toString()}. With {@code sluice tail --format lines} it copies lines exactly.
     */
    public static Sink<Object> write(Output output) {
        return new LinesSink(Objects.requireNonNull(output, "output"));
    }

    /** As {@link #write(Output)}, to a file replaced atomically when the run succeeds. */
    public static Sink<Object> write(Path file) {
        return write(Output.file(file));
    }

    /** Writes lines; resumable at checkpoints. */
    private static final class LinesSink implements Sink<Object> {
        private static final long serialVersionUID = 1L;
        private final Output output;

        LinesSink(Output output) {
            this.output = output;
        }

        @Override
        public String name() {
            return "text(" + output.shortName() + ")";
        }

        @Override
        public Output output() {
            return output;
        }

        @Override
        public SinkWriter<Object> open() throws Exception {
            return new LinesWriter(output.open(), output);
        }

        @Override
        public SinkWriter<Object> openResumable(java.io.Serializable checkpoint) throws Exception {
            return new LinesWriter(output.openResumable(checkpoint == null ? -1 : (Long) checkpoint), output);
        }
    }

    private static final class LinesWriter extends FileSinkWriter<Object> {
        private final java.io.OutputStream out;

        LinesWriter(Output.Opened opened, Output output) {
            super(opened, output);
            this.out = opened.stream();
        }

        @Override
        public void write(Object record) throws Exception {
            Object v = record instanceof Row r && r.size() == 1 ? r.value(0) : record;
            out.write(String.valueOf(v).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }

        @Override
        public boolean writeEncoded(Object chunk) {
            return false;
        }

        @Override
        protected void flushEncoder() throws Exception {
            out.close();
        }
    }

    /** The lines of a file; holds its path and charset as strings, so that a plan serializes. */
    private static final class LinesSource implements Source<String> {
        private static final long serialVersionUID = 1L;
        private final String file;
        private final String charset;

        LinesSource(String file, String charset) {
            this.file = file;
            this.charset = charset;
        }

        @Override
        public SourceReader<String> open(SourceContext ctx) throws Exception {
            String name = String.valueOf(Path.of(file).getFileName());
            InputFiles.Opened o = InputFiles.open(Path.of(file), StandardCharsets.UTF_8);
            BufferedReader r = new BufferedReader(new InputStreamReader(o.stream, Charset.forName(charset)), 1 << 16);
            return new SourceReader<String>() {
                private long line;
                private String current;

                @Override
                public String next() throws Exception {
                    current = r.readLine();
                    if (current != null) {
                        line++;
                        if (line == 1 && !current.isEmpty() && current.charAt(0) == '\uFEFF') {
                            current = current.substring(1);
                        }
                    }
                    return current;
                }

                @Override
                public Location location() {
                    return new Location(name, line, line);
                }

                @Override
                public String rawText() {
                    return current;
                }

                @Override
                public double progress() {
                    return o.progress();
                }

                @Override
                public void close() throws Exception {
                    r.close();
                }
            };
        }

        @Override
        public String name() {
            return "lines(" + Path.of(file).getFileName() + ")";
        }

        @Override
        public java.util.List<Path> inputFiles() {
            return java.util.List.of(Path.of(file));
        }
    }
}
