package dev.sluice.cli;

import dev.sluice.examples.ParkingGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice generate}: synthetic test data. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Writes a synthetic NYC parking-tickets CSV file.",
        subcommands = {GenerateCommand.Parking.class, GenerateCommand.Registrations.class},
        footerHeading = "%nExamples:%n",
        footer = {"  sluice generate parking --rows 1000 --out parking.csv"})
final class GenerateCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "say what to generate: parking or registrations");
    }

    @Command(
            name = "parking",
            mixinStandardHelpOptions = true,
            description = {
                "Writes a synthetic NYC parking-tickets CSV file.",
                "In the real 43-column schema of the NYC Open Data exports; the same seed gives the same file."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  sluice generate parking --rows 1000 --out parking.csv",
                "  sluice generate parking --rows 5000000 --seed 7 --out big.csv"
            })
    static final class Parking implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--rows",
                paramLabel = "N",
                defaultValue = "1000000",
                description = "Rows (default: ${DEFAULT-VALUE}).")
        long rows;

        @Option(
                names = "--seed",
                paramLabel = "S",
                defaultValue = "1",
                description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(
                names = {"-o", "--out"},
                paramLabel = "FILE",
                required = true,
                description = "The file to write, or - for standard output.")
        String out;

        @picocli.CommandLine.Mixin
        OutputOptions.Writing writing;

        @picocli.CommandLine.Mixin
        RunOptions run;

        @Override
        public Integer call() throws Exception {
            if (rows < 0) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "--rows must be at least 0, was " + rows);
            }
            long t0 = System.nanoTime();
            dev.sluice.Output target = writing.output(out);
            target.check(); // a directory, a missing parent or --no-clobber: refused before anything is generated
            run.step("generate " + target.shortName(), () -> ParkingGenerator.write(target, rows, seed));
            if (out.equals("-")) {
                run.finish("wrote standard output: " + rows + " rows");
                return 0;
            }
            Path file = Path.of(out);
            run.output(file);
            run.done(
                    "wrote %s: %,d rows, %,.0f MB in %.1f s",
                    out, rows, Files.isRegularFile(file) ? Files.size(file) / 1e6 : 0, (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }

    @Command(
            name = "registrations",
            mixinStandardHelpOptions = true,
            description = {
                "Writes vehicle registrations for a synthetic parking-tickets file.",
                "For the file that generate parking makes with the same --rows and --seed: a registration for the "
                        + "plate of about 80%% of its tickets (Plate ID, Registration State, Owner Zip, Registered Make, "
                        + "Model Year, Registration Expires), to join with it."
            },
            footerHeading = "%nExamples:%n",
            footer = {"  sluice generate registrations --rows 1000000 --out registrations.csv"})
    static final class Registrations implements Callable<Integer> {
        @Option(
                names = "--rows",
                paramLabel = "N",
                defaultValue = "1000000",
                description = "The tickets file's rows (default: ${DEFAULT-VALUE}).")
        long rows;

        @Option(
                names = "--seed",
                paramLabel = "S",
                defaultValue = "1",
                description = "The tickets file's seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(
                names = {"-o", "--out"},
                paramLabel = "FILE",
                required = true,
                description = "The file to write, or - for standard output.")
        String out;

        @picocli.CommandLine.Mixin
        OutputOptions.Writing writing;

        @picocli.CommandLine.Mixin
        RunOptions run;

        @Override
        public Integer call() throws Exception {
            if (rows < 0) {
                throw new UsageError("--rows must be at least 0, was " + rows);
            }
            long t0 = System.nanoTime();
            dev.sluice.Output target = writing.output(out);
            target.check();
            run.step("generate " + target.shortName(), () -> ParkingGenerator.writeRegistrations(target, rows, seed));
            if (out.equals("-")) {
                run.finish("wrote standard output");
                return 0;
            }
            Path file = Path.of(out);
            run.output(file);
            run.done(
                    "wrote %s: %,.0f MB in %.1f s",
                    out, Files.isRegularFile(file) ? Files.size(file) / 1e6 : 0, (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }
}
