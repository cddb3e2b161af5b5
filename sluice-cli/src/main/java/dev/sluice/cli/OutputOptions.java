package dev.sluice.cli;

import dev.sluice.Row;
import dev.sluice.Sink;
import picocli.CommandLine.Option;

/** Where a command's records go: {@code --out} (default standard output), its format, and file safety flags. */
final class OutputOptions {
  @Option(names = {"-o", "--out"}, paramLabel = "FILE", defaultValue = "-",
      description = "Where to write: a .csv, .tsv, .jsonl or .ndjson file (.gz compresses), or - for standard output "
          + "(the default).")
  String out;

  @Option(names = "--out-format", paramLabel = "FORMAT",
      description = "The output format when the name does not say: ${COMPLETION-CANDIDATES} (default: csv).")
  Io.Format outFormat;

  @Option(names = "--no-clobber", description = "Refuse to replace an existing output file.")
  boolean noClobber;

  @Option(names = "--mkdirs", description = "Create the output's missing parent directories.")
  boolean mkdirs;

  Sink<Row> sink() {
    return Io.sink(out, outFormat, noClobber, mkdirs);
  }
}
