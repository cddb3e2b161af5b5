package dev.sluice.cli;

import dev.sluice.Flow;
import dev.sluice.RunSummary;
import dev.sluice.csv.Csv;
import dev.sluice.examples.ParkingGenerator;
import dev.sluice.examples.ParkingPipelines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice demo}: the main job. Runs the example pipelines A and B over a parking-violations file. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the example pipelines on NYC parking tickets.",
            "  A   NJ Fords ticketed by police, with a joined address -> nj_ford_police.csv",
            "  B   every row plus days_to_expiration -> days_to_expiration.csv",
            "  DB  loads the file into SQLite (parking.db), streams it back in batches and runs A over it",
            "      -> nj_ford_police_from_db.csv",
            "Without --input it first generates a synthetic file in the real 43-column schema (1M rows: 211 MB;",
            "the whole demo writes about 650 MB)."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  sluice demo",
            "  sluice demo --rows 5000000 --pipelines A",
            "  sluice demo --input real.csv --out results --summary-json summary.json"
        })
final class DemoCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--input",
            paramLabel = "FILE",
            description = "A real parking-violations CSV (default: generate one).")
    Path input;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "sluice-out",
            description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--rows",
            paramLabel = "N",
            defaultValue = "1000000",
            description = "Rows to generate without --input (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "1",
            description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--pipelines",
            paramLabel = "A,B,DB",
            defaultValue = "A,B,DB",
            split = ",",
            description = "Which pipelines to run (default: ${DEFAULT-VALUE}).")
    Set<String> pipelines = new LinkedHashSet<>();

    @Option(names = "--threads", paramLabel = "N", description = Runners.THREADS)
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--runner", paramLabel = "RUNNER", description = Runners.DESCRIPTION)
    String runner;

    @Mixin
    DialectOptions dialect;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        for (String p : pipelines) {
            if (!p.equalsIgnoreCase("A") && !p.equalsIgnoreCase("B") && !p.equalsIgnoreCase("DB")) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--pipelines takes A, B and DB, comma-separated; unknown pipeline '" + p + "'");
            }
        }
        if (rows < 0) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--rows must be at least 0, was " + rows);
        }
        if (threads < 1) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--threads must be at least 1, was " + threads);
        }
        dialect.format(); // bad dialect flags are usage errors, before anything is generated
        dialect.policy();
        if (input != null && input.toString().equals("-")) {
            throw new UsageError(
                    "--input -: the demo reads its input once per pipeline, and standard input can be read "
                            + "only once; save it to a file first (or a FIFO per pipeline)");
        }
        Files.createDirectories(out);
        Path in = input;
        if (in == null) {
            in = out.resolve(String.format(Locale.ROOT, "parking_%d_rows_seed_%d.csv", rows, seed));
            Path generated = in;
            if (Files.exists(in)) {
                run.note("using %s (generated earlier; deterministic)", in);
            } else {
                long g0 = System.nanoTime();
                run.step("generate " + in.getFileName(), () -> ParkingGenerator.write(generated, rows, seed));
                run.note(
                        "generated %s: %,d rows, %,.0f MB in %.1f s",
                        in, rows, Files.size(in) / 1e6, (System.nanoTime() - g0) / 1e9);
            }
        } else if (!Files.exists(in)) {
            throw new java.nio.file.NoSuchFileException(in.toString());
        } else if (Files.isDirectory(in)) {
            throw new java.nio.file.FileSystemException(in.toString(), null, "is a directory, not a file");
        }
        dev.sluice.Runner r = Runners.choose(runner, dev.sluice.LocalRunner.get(), Runners.threadsGiven(spec, threads));
        long records;
        try {
            records = pipelines(in, r);
        } finally {
            Runners.close(r);
        }
        run.done(
                "demo: pipelines %s over %,d records in %.1f s%s; results in %s",
                String.join(",", pipelines),
                records,
                (System.nanoTime() - t0) / 1e9,
                r == dev.sluice.LocalRunner.get() ? "" : " on " + r,
                out);
        return 0;
    }

    /** Runs the chosen pipelines over {@code in} on {@code r}; the records read. */
    private long pipelines(Path in, dev.sluice.Runner r) throws Exception {
        long records = -1;
        for (String p : pipelines) {
            if (p.equalsIgnoreCase("DB")) {
                records = databaseStep(in, r);
                continue;
            }
            boolean a = p.equalsIgnoreCase("A");
            Path target = out.resolve(a ? "nj_ford_police.csv" : "days_to_expiration.csv");
            Flow<dev.sluice.Row> rowsFlow = Flow.from(Csv.read(in, dialect.format()))
                    .onError(dialect.policy())
                    .parallel(threads);
            var pipeline = rowsFlow.apply(a ? ParkingPipelines.NJ_FORD_POLICE : ParkingPipelines.DAYS_TO_EXPIRATION)
                    .to(Csv.write(target));
            run.note("%npipeline %s: %s -> %s", a ? "A" : "B", in.getFileName(), target);
            RunSummary s = pipeline.run(r, run.progress("pipeline " + (a ? "A" : "B"), in));
            run.output(target);
            run.summary(s);
            double mb = Files.size(in) / 1e6;
            run.note("%.0f MB read at %.0f MB/s", mb, mb / (s.elapsed().toNanos() / 1e9));
            records = s.recordsIn();
        }
        return records;
    }

    /** Loads the file into the embedded SQLite database, streams it back in batches, and runs pipeline A over it. */
    private long databaseStep(Path in, dev.sluice.Runner r) throws Exception {
        Path dbFile = out.resolve("parking.db");
        Files.deleteIfExists(dbFile);
        dev.sluice.jdbc.Database db = dev.sluice.jdbc.Jdbc.connect("jdbc:sqlite:" + dbFile.toAbsolutePath());
        run.note("%ndatabase: %s -> %s (table tickets)", in.getFileName(), dbFile);
        RunSummary load = Flow.from(Csv.read(in, dialect.format()))
                .onError(dialect.policy())
                .to(db.table("tickets").write().withCreateTable(true).withBatchSize(10_000))
                .run(r, run.progress("load", in));
        run.output(dbFile);
        run.summary(load);
        Path target = out.resolve("nj_ford_police_from_db.csv");
        run.note("%npipeline A over the database, streamed in batches of 10,000 -> %s", target);
        // only the columns pipeline A reads: each column costs the SQLite driver a native call per row
        RunSummary a = Flow.from(db.query("SELECT \"Registration State\", \"Vehicle Make\", \"Issuing Agency\", "
                                + "\"House Number\", \"Street Name\" FROM tickets")
                        .withFetchSize(10_000))
                .apply(ParkingPipelines.NJ_FORD_POLICE)
                .to(Csv.write(target))
                .run(r, run.progress("pipeline A from the db", null));
        run.output(target);
        run.summary(a);
        return load.recordsIn();
    }
}
