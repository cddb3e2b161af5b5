package dev.sluice.cli;

import dev.sluice.Flow;
import dev.sluice.RunSummary;
import dev.sluice.csv.Csv;
import dev.sluice.json.JsonLines;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice convert IN.csv OUT.jsonl}. */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = {"Converts a CSV file to JSON Lines.",
        "One JSON object per record, with the header as keys and the values as strings."},
    footerHeading = "%nExamples:%n",
    footer = {"  sluice convert parking.csv parking.jsonl", "  sluice convert parking.csv.gz parking.jsonl.gz"})
final class ConvertCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IN.csv", description = "The CSV file to read (may be gzip-compressed).")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT.jsonl", description = "The JSON Lines file to write (.gz compresses).")
  Path out;

  @Mixin
  DialectOptions dialect;

  @Mixin
  RunOptions run;

  @Override
  public Integer call() throws java.io.IOException {
    RunSummary s = Flow.from(Csv.read(in, dialect.format())).onError(dialect.policy())
        .to(JsonLines.write(out)).run(run.progress("convert", in));
    run.output(out);
    run.done("converted %,d records to %s in %.2f s%s", s.recordsOut(), out,
        s.elapsed().toNanos() / 1e9, s.rejected() > 0 ? String.format(Locale.ROOT, "; %,d bad records skipped",
            s.rejected()) : "");
    return 0;
  }
}
