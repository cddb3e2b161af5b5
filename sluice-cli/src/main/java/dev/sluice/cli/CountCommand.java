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
    description = {"Counts the records in a CSV file.",
        "Prints the number of records, without the header; a quoted line break does not start a record."},
    footerHeading = "%nExamples:%n",
    footer = {"  sluice count parking.csv", "  sluice count --delimiter '\\t' --ragged skip data.tsv.gz"})
final class CountCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The CSV file (may be gzip-compressed).")
  Path file;

  @Mixin
  DialectOptions dialect;

  @Mixin
  RunOptions run;

  @Override
  public Integer call() throws java.io.IOException {
    RunSummary s = Flow.from(Csv.read(file, dialect.format())).onError(dialect.policy()).run(run.progress("count", file));
    spec.commandLine().getOut().println(s.recordsOut());
    if (s.rejected() > 0) {
      spec.commandLine().getErr().println("sluice: " + s.rejected() + " bad records were skipped; the first: "
          + s.firstRejections().get(0));
    }
    run.finish(Long.toString(s.recordsOut()));
    return 0;
  }
}
