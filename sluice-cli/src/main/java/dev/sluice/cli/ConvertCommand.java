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
    description = "Converts CSV to JSON Lines: one object per record, the header as keys, values as strings.")
final class ConvertCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IN.csv", description = "The CSV file to read (may be gzip-compressed).")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT.jsonl", description = "The JSON Lines file to write (.gz compresses).")
  Path out;

  @Mixin
  DialectOptions dialect;

  @Override
  public Integer call() {
    RunSummary s = Flow.from(Csv.read(in, dialect.format())).onError(dialect.policy())
        .to(JsonLines.write(out)).run(new Progress("convert", in));
    spec.commandLine().getOut().printf(Locale.ROOT, "converted %,d records to %s in %.2f s%s%n", s.recordsOut(), out,
        s.elapsed().toNanos() / 1e9, s.rejected() > 0 ? String.format(Locale.ROOT, "; %,d bad records skipped",
            s.rejected()) : "");
    return 0;
  }
}
