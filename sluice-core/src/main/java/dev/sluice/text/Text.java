package dev.sluice.text;

import dev.sluice.Location;
import dev.sluice.Source;
import dev.sluice.SourceContext;
import dev.sluice.SourceReader;
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
