package dev.sluice.cli;

import dev.sluice.Flow;
import dev.sluice.RunSummary;
import dev.sluice.csv.Csv;
import dev.sluice.jdbc.Jdbc;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice export --db URL --query SQL --out FILE}: stream a query's result to a CSV file. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Writes a database query's result to a CSV file.",
        "Streams it through a server-side cursor, so memory stays flat whatever its size."},
    footerHeading = "%nExamples:%n",
    footer = {"  sluice export --db jdbc:sqlite:parking.db --out tickets.csv \\",
        "      --query 'SELECT * FROM tickets'"})
final class ExportCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--db", required = true, paramLabel = "URL", description = "JDBC URL.")
  String url;

  @Option(names = "--query", required = true, paramLabel = "SQL", description = "The query.")
  String query;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The CSV file to write (.gz compresses).")
  Path out;

  @Option(names = "--fetch", paramLabel = "N", defaultValue = "10000", description = "Rows per fetch (default: "
      + "${DEFAULT-VALUE}).")
  int fetch;

  @picocli.CommandLine.Mixin
  RunOptions run;

  @Override
  public Integer call() throws java.io.IOException {
    RunSummary s = Flow.from(Jdbc.connect(url).query(query).withFetchSize(fetch)).to(Csv.write(out)).run(run.progress("export", null));
    run.output(out);
    run.done("exported %,d rows to %s in %.2f s", s.recordsOut(), out,
        s.elapsed().toNanos() / 1e9);
    return 0;
  }
}
