package dev.sluice.cli;

import dev.sluice.Flow;
import dev.sluice.RunSummary;
import dev.sluice.csv.Csv;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice count FILE}: prints the number of data records. */
@Command(name = "count", mixinStandardHelpOptions = true,
    description = "Prints the number of records in a CSV file (header excluded; quoted newlines handled).")
final class CountCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The CSV file (may be gzip-compressed).")
  Path file;

  @Mixin
  DialectOptions dialect;

  @Override
  public Integer call() {
    RunSummary s = Flow.from(Csv.read(file, dialect.format())).onError(dialect.policy()).run(new Progress("count", file));
    spec.commandLine().getOut().println(s.recordsOut());
    if (s.rejected() > 0) {
      spec.commandLine().getErr().println("sluice: " + s.rejected() + " bad records were skipped; the first: "
          + s.firstRejections().get(0));
    }
    return 0;
  }
}
