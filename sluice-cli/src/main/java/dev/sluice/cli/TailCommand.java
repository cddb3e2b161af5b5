package dev.sluice.cli;

import dev.sluice.Flow;
import dev.sluice.LocalRunner;
import dev.sluice.Output;
import dev.sluice.Row;
import dev.sluice.RunSummary;
import dev.sluice.Sink;
import dev.sluice.Source;
import dev.sluice.SourceContext;
import dev.sluice.SourceReader;
import dev.sluice.csv.Csv;
import dev.sluice.json.JsonLines;
import dev.sluice.logs.Follow;
import dev.sluice.logs.LogFormat;
import dev.sluice.logs.Logs;
import dev.sluice.logs.Tcp;
import dev.sluice.text.Text;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice tail}: follows log files (or standard input), parses their lines and writes them on, endlessly. */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description = {
            "Follows log files like tail -F and parses their lines.",
            "It writes them on (or aggregates them in windows) until stopped, through rotation by rename, copytruncate,"
                    + " and delete and create.",
            "With --state DIR the offsets read are saved there once the output is on disk, so a restart (also after"
                    + " kill -9) goes on with nothing lost and nothing written twice. Ctrl-C stops cleanly.",
            "Lines that do not parse are counted and reported with their file and line (--dead-letters FILE keeps"
                    + " them)."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  sluice tail app.log --format lines --state st --out copy.log    a tail -F into a file, across restarts",
            "  sluice tail '/var/log/nginx/*.log' --format combined --out access.jsonl",
            "  sluice tail access.log --format combined --once --out access.csv",
            "  sluice tail access.log --format combined --window 1m --out-of-order 60s --by status --agg count"
                    + " --out per-minute.csv",
            "  journalctl -f -o short | sluice tail - --format syslog"
        })
final class TailCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "PATH|GLOB|-|tcp://HOST:PORT",
            description = "A file, a glob in the file name, - (stdin), or a TCP address to listen on (newline or"
                    + " RFC 6587 octet-counted messages).")
    String input;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "combined, common, apache-error, syslog, rfc5424, json, logfmt or lines (default: lines).")
    String format = "lines";

    @Option(
            names = "--state",
            paramLabel = "DIR",
            description = "Save the offsets read in DIR (made if missing) and resume from them.")
    Path state;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Where to write: .txt or .log (lines as read), .csv, .jsonl; default: standard output"
                    + " (lines, or JSON Lines for parsed rows).")
    String out;

    @Option(names = "--once", description = "Read to the current end of the files, then stop.")
    boolean once;

    @Option(
            names = "--drain",
            description = "With --once and --state: emit the windows still open at the end (by default they are"
                    + " saved in the state, and the next run goes on with them).")
    boolean drain;

    @Option(
            names = "--from-end",
            description = "Start files present at start at their end (without saved offsets); default: their start.")
    boolean fromEnd;

    @Option(
            names = "--poll",
            paramLabel = "DURATION",
            description = "How long to wait for new lines when every file is at its end (default: 100ms).")
    String poll = "100ms";

    @Option(
            names = "--checkpoint-every",
            paramLabel = "DURATION",
            description = "How often output is forced to disk and offsets saved (default: 250ms).")
    String checkpointEvery = "250ms";

    @Option(
            names = "--max-line-bytes",
            paramLabel = "N",
            description = "Reject lines longer than this, with their file and offset (default: 1048576).")
    int maxLineBytes = 1 << 20;

    @Option(
            names = "--dead-letters",
            paramLabel = "FILE",
            description = "Write the lines rejected (too long, not parsed) to this CSV file, with where and why.")
    Path deadLetters;

    @Option(
            names = "--window",
            paramLabel = "DURATION",
            description = "Aggregate in windows of event time this long (tumbling; with --slide, sliding).")
    String window;

    @Option(names = "--slide", paramLabel = "DURATION", description = "Sliding windows that start this often.")
    String slide;

    @Option(
            names = "--session",
            paramLabel = "GAP",
            description = "Session windows per --by key, closed after this long without a record.")
    String session;

    @Option(
            names = "--out-of-order",
            paramLabel = "DURATION",
            description = "How far behind the newest time a record may come and still count (default: 0s)."
                    + " Later ones are counted as late and reported.")
    String outOfOrder = "0s";

    @Option(
            names = "--idle-after",
            paramLabel = "DURATION",
            description = "A file silent this long stops holding windows open (default: 10s).")
    String idleAfter = "10s";

    @Option(
            names = "--time",
            paramLabel = "COL",
            description = "The event-time column (default: time, or timestamp for syslog and rfc5424).")
    String time;

    @Option(names = "--by", paramLabel = "COLS", split = ",", description = "Aggregate per these columns.")
    java.util.List<String> by = new java.util.ArrayList<>();

    @Option(
            names = "--agg",
            paramLabel = "AGGS",
            split = ",",
            description = "Aggregates, as for sluice group: count, sum:COL, avg:COL, min:COL, max:COL, distinct:COL"
                    + " (default: count).")
    java.util.List<String> aggs = new java.util.ArrayList<>();

    @Mixin
    RunOptions run;

    @Override
    public Integer call() throws Exception {
        LogFormat parser = format.equals("lines") ? null : parseFormat(format);
        boolean stdin = input.equals("-");
        boolean tcp = input.startsWith("tcp://");
        if ((stdin || tcp) && state != null) {
            throw new UsageError("--state cannot resume " + (stdin ? "standard input" : "a socket")
                    + " (it cannot be rewound); give a file to follow");
        }
        Source<String> source = stdin ? new StdinLines() : tcp ? tcp() : follow();
        Flow<String> lines = Flow.from(source);
        AtomicLong count = new AtomicLong();
        AtomicLong lastNanos = new AtomicLong(System.nanoTime());
        lines = lines.peek(l -> {
            count.incrementAndGet();
            lastNanos.set(System.nanoTime());
        });
        dev.sluice.ErrorPolicy policy =
                deadLetters != null ? dev.sluice.ErrorPolicy.deadLetter(deadLetters) : dev.sluice.ErrorPolicy.skip();
        Path stateDir = state;
        boolean temporaryState = stateDir == null;
        if (temporaryState) {
            stateDir = Files.createTempDirectory("sluice-tail-");
        } else {
            Files.createDirectories(stateDir);
        }
        Path stateFile = stateDir.resolve("offsets");
        PrintWriter err = spec.commandLine().getErr();
        if (!temporaryState && Files.exists(stateFile) && run.interactive()) {
            err.println("sluice tail: resuming from " + stateFile);
        }
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    stop.set(true); // Ctrl-C, SIGTERM: stop reading, save, then let the JVM go
                    try {
                        done.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "sluice-tail-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Thread display = run.interactive() ? display(err, count, lastNanos, stop) : null;
        RunSummary s;
        try {
            LocalRunner runner = LocalRunner.get()
                    .withCheckpoints(stateFile, duration(checkpointEvery, "--checkpoint-every"))
                    .withStop(stop::get)
                    .withDrainAtEnd(state == null || drain);
            if (window != null || session != null) {
                s = windowed(lines.map(parser == null ? Logs.lines() : parser))
                        .onError(policy)
                        .to(rowSink())
                        .run(runner);
            } else if (parser == null) {
                s = lines.onError(policy).to(textSink()).run(runner);
            } else {
                s = lines.map(parser).onError(policy).to(rowSink()).run(runner);
            }
        } finally {
            stop.set(true);
            if (display != null) {
                display.interrupt();
                display.join(1000);
            }
            if (temporaryState) { // the offsets, their lock and any temporary file: none outlives the run
                try (var files = Files.list(stateDir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(stateDir);
            }
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running and waits for this
            }
        }
        if (!run.quiet) {
            err.println(String.format(
                    java.util.Locale.ROOT,
                    "sluice tail: %,d lines read, %,d written, %,d rejected%s%s",
                    count.get(),
                    s.recordsOut(),
                    s.rejected(),
                    s.late() > 0
                            ? String.format(java.util.Locale.ROOT, " (%,d of them late for their window)", s.late())
                            : "",
                    s.rejected() > 0 ? "; the first: " + s.firstRejections().get(0) : ""));
        }
        return 0;
    }

    /** The rows aggregated in the windows the options ask for. */
    private Flow<Row> windowed(Flow<Row> rows) {
        if (window != null && session != null) {
            throw new UsageError("give --window (with --slide for sliding windows) or --session, not both");
        }
        if (slide != null && window == null) {
            throw new UsageError("--slide needs --window");
        }
        dev.sluice.Window w = session != null
                ? dev.sluice.Window.session(duration(session, "--session"))
                : slide != null
                        ? dev.sluice.Window.sliding(duration(window, "--window"), duration(slide, "--slide"))
                        : dev.sluice.Window.tumbling(duration(window, "--window"));
        String col = time != null ? time : format.equals("syslog") || format.equals("rfc5424") ? "timestamp" : "time";
        Duration ooo =
                outOfOrder.strip().matches("0+(ms|s|m|h|d)?") ? Duration.ZERO : duration(outOfOrder, "--out-of-order");
        w = w.on(col).idleAfter(duration(idleAfter, "--idle-after"));
        if (!ooo.isZero()) {
            w = w.outOfOrder(ooo);
        }
        java.util.List<dev.sluice.Agg> list = new java.util.ArrayList<>();
        for (String a : aggs.isEmpty() ? java.util.List.of("count") : aggs) {
            try {
                list.add(dev.sluice.Agg.parse(a));
            } catch (IllegalArgumentException e) {
                throw new UsageError(e.getMessage());
            }
        }
        dev.sluice.Agg[] arr = list.toArray(new dev.sluice.Agg[0]);
        return by.isEmpty()
                ? rows.window(w).aggregate(arr)
                : rows.window(w).groupBy(by.toArray(new String[0])).aggregate(arr);
    }

    /** {@code 250ms}, {@code 10s}, {@code 1m}, {@code 30m}, {@code 2h}, {@code 1d}. */
    static Duration duration(String s, String option) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(s.trim());
        if (!m.matches()) {
            throw new UsageError(option + " takes a duration such as 250ms, 10s, 1m, 2h or 1d, not '" + s + "'");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.isZero()) {
            throw new UsageError(option + " must be more than 0");
        }
        return d;
    }

    private static LogFormat parseFormat(String name) {
        try {
            return Logs.format(name);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }

    private Tcp tcp() {
        java.net.URI u;
        try {
            u = new java.net.URI(input);
        } catch (java.net.URISyntaxException e) {
            throw new UsageError("not a tcp://HOST:PORT address: " + input);
        }
        if (u.getHost() == null || u.getPort() < 1) {
            throw new UsageError("give tcp://HOST:PORT, such as tcp://127.0.0.1:5140, not " + input);
        }
        return Tcp.listen(u.getHost(), u.getPort()).withMaxMessageBytes(maxLineBytes);
    }

    private Follow follow() {
        Follow f = Follow.files(input).withPollEvery(duration(poll, "--poll")).withMaxLineBytes(maxLineBytes);
        if (once) {
            f = f.once();
        }
        if (fromEnd) {
            f = f.fromEnd();
        }
        return f;
    }

    private Output output() {
        return out == null || out.equals("-") ? Io.stdoutOutput() : Output.file(Path.of(out));
    }

    private String extension() {
        if (out == null || out.equals("-")) {
            return "";
        }
        String n = String.valueOf(Path.of(out).getFileName());
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
    }

    /** Lines as read: to a text file (or stdout) as they are, or as one-column rows to CSV / JSON Lines. */
    private Sink<? super String> textSink() {
        String ext = extension();
        switch (ext) {
            case "", "txt", "log" -> {
                return Text.write(output());
            }
            case "csv", "jsonl", "ndjson" -> {
                return new LinesAsRows(rowSink());
            }
            default -> throw new UsageError("cannot tell the format of " + out + ": use .txt, .log, .csv or .jsonl");
        }
    }

    /** Parsed rows: CSV or JSON Lines by the output's name; JSON Lines on standard output. */
    private Sink<Row> rowSink() {
        String ext = extension();
        return switch (ext) {
            case "", "jsonl", "ndjson", "json" -> JsonLines.write(output());
            case "csv" -> Csv.write(output());
            default -> throw new UsageError("cannot tell the format of " + out + ": use .csv or .jsonl for rows");
        };
    }

    private Thread display(PrintWriter err, AtomicLong count, AtomicLong lastNanos, AtomicBoolean stop) {
        Thread t = new Thread(
                () -> {
                    long prev = 0;
                    long prevAt = System.nanoTime();
                    try {
                        while (!stop.get()) {
                            Thread.sleep(1000);
                            long n = count.get();
                            long now = System.nanoTime();
                            double rate = (n - prev) * 1e9 / Math.max(1, now - prevAt);
                            prev = n;
                            prevAt = now;
                            err.print(String.format(
                                    java.util.Locale.ROOT,
                                    "\r%s: %,d lines, %,.0f lines/s, last line %.1f s ago, following %d file(s)   ",
                                    input,
                                    n,
                                    rate,
                                    (now - lastNanos.get()) / 1e9,
                                    followed()));
                            err.flush();
                        }
                    } catch (InterruptedException e) {
                        // stopped
                    }
                    err.print("\r" + " ".repeat(Math.min(120, Terminal.columns())) + "\r");
                    err.flush();
                },
                "sluice-tail-display");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private int followed() {
        if (input.equals("-")) {
            return 0;
        }
        try {
            return Io.isGlob(input) ? Io.expand(java.util.List.of(input)).size() : Files.exists(Path.of(input)) ? 1 : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    /** Writes lines as one-column rows ({@code line}). */
    private static final class LinesAsRows implements Sink<String> {
        private static final long serialVersionUID = 1L;
        private static final dev.sluice.Schema LINE = dev.sluice.Schema.of("line");
        private final Sink<Row> rows;

        LinesAsRows(Sink<Row> rows) {
            this.rows = rows;
        }

        @Override
        public String name() {
            return rows.name();
        }

        @Override
        public java.util.List<Output> outputs() {
            return rows.outputs();
        }

        @Override
        public dev.sluice.SinkWriter<String> open() throws Exception {
            return wrap(rows.open());
        }

        @Override
        public dev.sluice.SinkWriter<String> openResumable(java.io.Serializable checkpoint) throws Exception {
            return wrap(rows.openResumable(checkpoint));
        }

        private static dev.sluice.SinkWriter<String> wrap(dev.sluice.SinkWriter<Row> w) {
            return new dev.sluice.SinkWriter<>() {
                @Override
                public void write(String line) throws Exception {
                    w.write(LINE.row(line));
                }

                @Override
                public java.io.Serializable checkpoint() throws Exception {
                    return w.checkpoint();
                }

                @Override
                public void close(boolean success) throws Exception {
                    w.close(success);
                }
            };
        }
    }

    /**
     * Standard input's lines, split as a followed file's are (at LF, a CR before it dropped), so that piping a file
     * in gives the lines following it gives; a last line without its newline is read at the end of the input. Not
     * resumable.
     */
    private static final class StdinLines implements Source<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public SourceReader<String> open(SourceContext context) {
            java.io.InputStream in = Io.stdinStream();
            return new SourceReader<>() {
                final byte[] buf = new byte[1 << 16];
                final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
                int start;
                int end;
                long line;
                boolean eof;

                @Override
                public String next() throws Exception {
                    while (true) {
                        for (int i = start; i < end; i++) {
                            if (buf[i] == '\n') {
                                pending.write(buf, start, i - start);
                                start = i + 1;
                                return take();
                            }
                        }
                        pending.write(buf, start, end - start);
                        start = end = 0;
                        if (eof) {
                            return pending.size() > 0 ? take() : null;
                        }
                        int n = in.read(buf);
                        if (n < 0) {
                            eof = true;
                        } else {
                            end = n;
                        }
                    }
                }

                private String take() {
                    byte[] b = pending.toByteArray();
                    pending.reset();
                    int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                    line++;
                    return new String(b, 0, len, StandardCharsets.UTF_8);
                }

                @Override
                public dev.sluice.Location location() {
                    return new dev.sluice.Location("stdin", line, line);
                }

                @Override
                public void close() throws Exception {
                    in.close();
                }
            };
        }

        @Override
        public String name() {
            return "stdin";
        }
    }
}
