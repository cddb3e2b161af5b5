package dev.sluice.cli;

import dev.sluice.RunListener;
import dev.sluice.RunSummary;
import dev.sluice.StageSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The flags of every command that runs a pipeline, {@code --quiet} and {@code --summary-json FILE}, and what they
 * control: progress lines, summary tables and the final one-line result, all on standard error.
 *
 * <p>A command adds them with one line, {@code @Mixin RunOptions run;}, then passes {@code run.progress("name",
 * input)} to {@code Pipeline.run(..)}, names its outputs with {@link #output}, and ends with {@link #done}:
 * <pre>
 * RunSummary s = flow.to(sink).run(run.progress("convert", in));
 * run.output(out);
 * run.done("converted %,d records to %s", s.recordsOut(), out);
 * </pre>
 * A command whose result goes to standard output (a count) ends with {@link #finish} instead. Progress and summary
 * tables are shown only when standard error is a terminal; the final line always (unless {@code --quiet}); errors
 * always.
 */
final class RunOptions {
    @Option(
            names = {"-q", "--quiet"},
            description = "No progress, no summary; errors are still printed.")
    boolean quiet;

    @Option(
            names = "--summary-json",
            paramLabel = "FILE",
            description = "Write a JSON summary of the run to FILE; - for standard output.")
    String summaryJson;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    private final long started = System.nanoTime();
    private final List<Map.Entry<String, RunSummary>> runs = new ArrayList<>();
    private final List<Path> outputs = new ArrayList<>();

    private PrintWriter err() {
        return command.commandLine().getErr();
    }

    /** Whether progress and summary tables are shown: not quiet, and standard error is a terminal. */
    boolean interactive() {
        return !quiet && Terminal.stderrIsTerminal();
    }

    /**
     * A listener for a run named {@code name} over {@code input} (null if not a file): shows its progress when
     * {@link #interactive()} and records its summary for {@code --summary-json}.
     */
    RunListener progress(String name, Path input) {
        boolean show = interactive();
        Progress p = new Progress(name, input, show ? err() : null, show ? Terminal.columns() : 80);
        return new RunListener() {
            @Override
            public void started(dev.sluice.RunProgress progress) {
                p.started(progress);
            }

            @Override
            public void finished(RunSummary summary) {
                runs.add(Map.entry(name, summary));
                p.finished(summary);
            }

            @Override
            public void failed(Throwable error) {
                p.failed(error);
            }
        };
    }

    /** A step that takes time but runs no pipeline, e.g. generating a file. */
    interface Step {
        void run() throws Exception;
    }

    /** Runs {@code step} with a spinner named {@code name} on the terminal while it runs. */
    void step(String name, Step step) throws Exception {
        boolean show = interactive();
        Progress spinner = new Progress(name, null, show ? err() : null, show ? Terminal.columns() : 80).startSpinner();
        try {
            step.run();
        } catch (Exception | Error e) {
            spinner.failed(e);
            throw e;
        }
        spinner.close();
    }

    /** Records an output path for {@code --summary-json}. */
    void output(Path path) {
        outputs.add(path);
    }

    /** Prints a line about the run when {@link #interactive()}: a step's heading, a throughput figure. */
    void note(String format, Object... args) {
        if (interactive()) {
            err().println(Terminal.wrap(String.format(Locale.ROOT, format, args), Terminal.columns() - 1, "  "));
        }
    }

    /** Prints a run's summary table, fitted to the terminal's width, when {@link #interactive()}. */
    void summary(RunSummary s) {
        if (interactive()) {
            err().println(table(s, Terminal.columns() - 1));
        }
    }

    /** Prints the final one-line result on standard error (unless quiet) and writes {@code --summary-json}. */
    void done(String format, Object... args) throws IOException {
        String line = String.format(Locale.ROOT, format, args);
        if (!quiet) {
            err().println(Terminal.stderrIsTerminal() ? Terminal.wrap(line, Terminal.columns() - 1, "  ") : line);
            err().flush();
        }
        finish(line);
    }

    /** Ends a command whose result went to standard output (e.g. a count): writes {@code --summary-json} only. */
    void finish(String result) throws IOException {
        writeJson(true, result);
    }

    /** Called on a failed command: writes {@code --summary-json} with the error, if asked for. */
    void failed(String error) {
        try {
            writeJson(false, error);
        } catch (IOException e) {
            // the error being reported matters more than the summary of it
        }
    }

    private void writeJson(boolean ok, String message) throws IOException {
        if (summaryJson == null) {
            return;
        }
        String json = json(ok, message);
        if (summaryJson.equals("-")) {
            command.commandLine().getOut().println(json);
            command.commandLine().getOut().flush();
        } else {
            Files.writeString(Path.of(summaryJson), json + "\n", StandardCharsets.UTF_8);
        }
    }

    /** The JSON summary: the command, its result, each run's stages and totals, and the outputs. */
    String json(boolean ok, String message) {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"command\":").append(str(command.qualifiedName())).append(',');
        sb.append("\"ok\":").append(ok).append(',');
        sb.append(ok ? "\"result\":" : "\"error\":").append(str(message)).append(',');
        long peak = 0;
        sb.append("\"runs\":[");
        String sep = "";
        for (Map.Entry<String, RunSummary> e : runs) {
            RunSummary s = e.getValue();
            peak = Math.max(peak, s.peakHeapBytes());
            sb.append(sep)
                    .append("{\"name\":")
                    .append(str(e.getKey()))
                    .append(",\"records_in\":")
                    .append(s.recordsIn())
                    .append(",\"records_out\":")
                    .append(s.recordsOut())
                    .append(",\"rejected\":")
                    .append(s.rejected())
                    .append(",\"elapsed_seconds\":")
                    .append(secs(s.elapsed().toNanos()))
                    .append(",\"peak_heap_bytes\":")
                    .append(s.peakHeapBytes())
                    .append(",\"stages\":[");
            String sep2 = "";
            for (StageSummary st : s.stages()) {
                sb.append(sep2)
                        .append("{\"name\":")
                        .append(str(st.name()))
                        .append(",\"memory\":")
                        .append(str(st.memoryClass().toString()))
                        .append(",\"in\":")
                        .append(st.in())
                        .append(",\"out\":")
                        .append(st.out())
                        .append(",\"rejected\":")
                        .append(st.rejected())
                        .append('}');
                sep2 = ",";
            }
            sb.append("],\"first_rejections\":[");
            sep2 = "";
            for (dev.sluice.Rejected r : s.firstRejections()) {
                sb.append(sep2).append(str(r.toString()));
                sep2 = ",";
            }
            sb.append("]}");
            sep = ",";
        }
        sb.append("],\"outputs\":[");
        sep = "";
        for (Path p : outputs) {
            sb.append(sep).append(str(p.toString()));
            sep = ",";
        }
        sb.append("],\"elapsed_seconds\":").append(secs(System.nanoTime() - started));
        sb.append(",\"peak_heap_bytes\":").append(peak);
        return sb.append('}').toString();
    }

    private static String secs(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }

    static String str(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** A run's summary as a table no wider than {@code width}: long stage names are cut, the totals wrapped. */
    static String table(RunSummary s, int width) {
        int nw = 8;
        for (StageSummary st : s.stages()) {
            nw = Math.max(
                    nw,
                    String.format(Locale.ROOT, "%,d", Math.max(st.in(), st.out()))
                            .length());
        }
        int fixed = 2 + 9 + 2 + nw + 2 + nw + 2 + 8;
        int sw = 5;
        for (StageSummary st : s.stages()) {
            sw = Math.max(sw, st.name().length());
        }
        sw = Math.max(5, Math.min(sw, width - fixed));
        String fmt = "%-" + sw + "s  %-9s  %" + nw + "s  %" + nw + "s  %8s";
        String nl = System.lineSeparator();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, fmt, "stage", "memory", "in", "out", "rejected")
                        .stripTrailing())
                .append(nl);
        for (StageSummary st : s.stages()) {
            String name = st.name().length() > sw ? st.name().substring(0, sw - 3) + "..." : st.name();
            sb.append(String.format(
                            Locale.ROOT,
                            fmt,
                            name,
                            st.memoryClass(),
                            String.format(Locale.ROOT, "%,d", st.in()),
                            String.format(Locale.ROOT, "%,d", st.out()),
                            String.format(Locale.ROOT, "%,d", st.rejected())))
                    .append(nl);
        }
        double secs = s.elapsed().toNanos() / 1e9;
        sb.append(Terminal.wrap(
                String.format(
                        Locale.ROOT,
                        "%,d records in, %,d out, %,d rejected; %.2f s (%,.0f records/s); peak heap %,d MB",
                        s.recordsIn(),
                        s.recordsOut(),
                        s.rejected(),
                        secs,
                        secs > 0 ? s.recordsIn() / secs : 0.0,
                        s.peakHeapBytes() / 1_000_000),
                width,
                "  "));
        for (dev.sluice.Rejected r : s.firstRejections()) {
            sb.append(nl).append(Terminal.wrap("  rejected: " + r, width, "    "));
        }
        return sb.toString();
    }
}
