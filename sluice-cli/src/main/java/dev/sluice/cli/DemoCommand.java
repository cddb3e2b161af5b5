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

/** {@code sluice demo}: the main job. Runs the seeds' pipelines A and B over a parking-violations file. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Runs the seeds' pipelines over a NYC parking-violations CSV:",
        "  A  NJ Fords ticketed by police, with a joined address  -> nj_ford_police.csv",
        "  B  every row plus days_to_expiration                 -> days_to_expiration.csv",
        "  DB load it into SQLite (parking.db), stream it back in batches, run A -> nj_ford_police_from_db.csv",
        "Without --input it first generates a deterministic synthetic file in the real 43-column schema."})
final class DemoCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--input", paramLabel = "FILE", description = "A real parking-violations CSV (default: generate one).")
  Path input;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "sluice-out",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--rows", paramLabel = "N", defaultValue = "1000000",
      description = "Rows to generate without --input (default: ${DEFAULT-VALUE}).")
  long rows;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--pipelines", paramLabel = "A,B,DB", defaultValue = "A,B,DB", split = ",",
      description = "Which pipelines to run (default: ${DEFAULT-VALUE}).")
  Set<String> pipelines = new LinkedHashSet<>();

  @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all cores, ${DEFAULT-VALUE}).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Mixin
  DialectOptions dialect;

  @Override
  public Integer call() throws Exception {
    var outw = spec.commandLine().getOut();
    for (String p : pipelines) {
      if (!p.equalsIgnoreCase("A") && !p.equalsIgnoreCase("B") && !p.equalsIgnoreCase("DB")) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--pipelines takes A, B and DB, comma-separated; unknown pipeline '" + p + "'");
      }
    }
    if (rows < 0) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rows must be at least 0, was " + rows);
    }
    if (threads < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1, was "
          + threads);
    }
    dialect.format(); // bad dialect flags are usage errors, before anything is generated
    dialect.policy();
    Files.createDirectories(out);
    Path in = input;
    if (in == null) {
      in = out.resolve(String.format(Locale.ROOT, "parking_%d_rows_seed_%d.csv", rows, seed));
      if (Files.exists(in)) {
        outw.printf(Locale.ROOT, "using %s (generated earlier; deterministic)%n", in);
      } else {
        long t0 = System.nanoTime();
        ParkingGenerator.write(in, rows, seed);
        outw.printf(Locale.ROOT, "generated %s: %,d rows, %,d MB in %.1f s%n", in, rows, Files.size(in) >> 20,
            (System.nanoTime() - t0) / 1e9);
      }
    } else if (!Files.exists(in)) {
      throw new java.nio.file.NoSuchFileException(in.toString());
    } else if (Files.isDirectory(in)) {
      throw new java.nio.file.FileSystemException(in.toString(), null, "is a directory, not a file");
    }
    for (String p : pipelines) {
      if (p.equalsIgnoreCase("DB")) {
        databaseStep(in, outw);
        continue;
      }
      boolean a = p.equalsIgnoreCase("A");
      Path target = out.resolve(a ? "nj_ford_police.csv" : "days_to_expiration.csv");
      Flow<dev.sluice.Row> rowsFlow = Flow.from(Csv.read(in, dialect.format())).onError(dialect.policy())
          .parallel(threads);
      var pipeline = rowsFlow.apply(a ? ParkingPipelines.NJ_FORD_POLICE : ParkingPipelines.DAYS_TO_EXPIRATION)
          .to(Csv.write(target));
      outw.printf(Locale.ROOT, "%npipeline %s: %s -> %s%n", a ? "A" : "B", in.getFileName(), target);
      RunSummary s = pipeline.run(new Progress("pipeline " + (a ? "A" : "B"), in));
      outw.println(s);
      double mb = Files.size(in) / 1e6;
      outw.printf(Locale.ROOT, "%.0f MB read at %.0f MB/s%n", mb, mb / (s.elapsed().toNanos() / 1e9));
    }
    outw.flush();
    return 0;
  }

  /** Loads the file into the embedded SQLite database, streams it back in batches, and runs pipeline A over it. */
  private void databaseStep(Path in, java.io.PrintWriter outw) throws Exception {
    Path dbFile = out.resolve("parking.db");
    Files.deleteIfExists(dbFile);
    dev.sluice.jdbc.Database db = dev.sluice.jdbc.Jdbc.connect("jdbc:sqlite:" + dbFile.toAbsolutePath());
    outw.printf(Locale.ROOT, "%ndatabase: %s -> %s (table tickets)%n", in.getFileName(), dbFile);
    RunSummary load = Flow.from(Csv.read(in, dialect.format())).onError(dialect.policy())
        .to(db.table("tickets").write().withCreateTable(true).withBatchSize(10_000)).run(new Progress("load", in));
    outw.println(load);
    Path target = out.resolve("nj_ford_police_from_db.csv");
    outw.printf(Locale.ROOT, "%npipeline A over the database, streamed in batches of 10,000 -> %s%n", target);
    // only the columns pipeline A reads: each column costs the SQLite driver a native call per row
    RunSummary a = Flow.from(db.query("SELECT \"Registration State\", \"Vehicle Make\", \"Issuing Agency\", "
        + "\"House Number\", \"Street Name\" FROM tickets").withFetchSize(10_000))
        .apply(ParkingPipelines.NJ_FORD_POLICE).to(Csv.write(target)).run();
    outw.println(a);
  }
}
