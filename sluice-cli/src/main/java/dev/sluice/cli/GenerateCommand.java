package dev.sluice.cli;

import dev.sluice.examples.ParkingGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice generate}: synthetic test data. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Generates synthetic data.",
    subcommands = GenerateCommand.Parking.class)
final class GenerateCommand implements Runnable {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "say what to generate: parking");
  }

  @Command(name = "parking", mixinStandardHelpOptions = true,
      description = "A deterministic synthetic NYC parking-violations CSV in the real 43-column schema.")
  static final class Parking implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "1000000", description = "Rows (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", required = true,
        description = "The file to write, or - for standard output.")
    String out;

    @picocli.CommandLine.Mixin
    OutputOptions.Writing writing;

    @Override
    public Integer call() throws Exception {
      if (rows < 0) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rows must be at least 0, was " + rows);
      }
      long t0 = System.nanoTime();
      ParkingGenerator.write(writing.output(out), rows, seed);
      if (out.equals("-")) {
        return 0;
      }
      Path file = Path.of(out);
      spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %,d rows, %,d bytes in %.1f s%n", out, rows,
          Files.isRegularFile(file) ? Files.size(file) : 0, (System.nanoTime() - t0) / 1e9);
      return 0;
    }
  }
}
