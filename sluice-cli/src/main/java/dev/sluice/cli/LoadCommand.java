package dev.sluice.cli;

import dev.sluice.RunSummary;
import dev.sluice.csv.Csv;
import dev.sluice.jdbc.Database;
import dev.sluice.jdbc.Jdbc;
import dev.sluice.jdbc.TableSink;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice load FILE --db URL --table T}: create and fill a table from a CSV file. */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = {"Loads a CSV file into a database table.",
        "Creates the table if it does not exist, with every column as text, so values keep their exact text.",
        "Inserts in batches, a commit per batch; --copy uses PostgreSQL's COPY."},
    footerHeading = "%nExamples:%n",
    footer = {"  sluice load parking.csv --db jdbc:sqlite:parking.db --table tickets",
        "  sluice load parking.csv --table tickets --copy \\",
        "      --db 'jdbc:postgresql://localhost/db?user=u&password=p'"})
final class LoadCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The CSV file (may be gzip-compressed).")
  Path file;

  @Option(names = "--db", required = true, paramLabel = "URL",
      description = {"JDBC URL, e.g. jdbc:sqlite:parking.db or", "jdbc:postgresql://host/db?user=u&password=p"})
  String url;

  @Option(names = "--table", required = true, paramLabel = "T", description = "The table to fill.")
  String table;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "1000", description = "Rows per batch and commit "
      + "(default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--copy", description = "Use PostgreSQL's COPY (PostgreSQL only).")
  boolean copy;

  @Option(names = "--upsert", paramLabel = "KEY", split = ",",
      description = "Insert or update on these key columns.")
  List<String> upsert = List.of();

  @Mixin
  DialectOptions dialect;

  @Mixin
  RunOptions run;

  @Override
  public Integer call() throws java.io.IOException {
    Database db = Jdbc.connect(url);
    TableSink sink = db.table(db.dialect().quote(table)).write().withCreateTable(true).withBatchSize(batch)
        .withCopy(copy).withUpsert(upsert.toArray(new String[0]));
    RunSummary s = dev.sluice.Flow.from(Csv.read(file, dialect.format())).onError(dialect.policy()).to(sink)
        .run(run.progress("load", file));
    double secs = s.elapsed().toNanos() / 1e9;
    run.done("loaded %,d rows into %s in %.2f s (%,.0f rows/s)%s",
        s.recordsOut(), table, secs, s.recordsOut() / Math.max(secs, 1e-9),
        s.rejected() > 0 ? String.format(Locale.ROOT, "; %,d bad records skipped", s.rejected()) : "");
    return 0;
  }
}
