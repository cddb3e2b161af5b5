package dev.sluice.cli;

import dev.sluice.Output;
import dev.sluice.Row;
import dev.sluice.Sink;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where a command's records go: {@code --out} (default standard output) and the {@link Writing} flags. */
final class OutputOptions {
    @Option(
            names = {"-o", "--out"},
            paramLabel = "FILE",
            defaultValue = "-",
            description =
                    "Where to write: a .csv, .tsv, .jsonl or .ndjson file (.gz compresses), or - for standard output "
                            + "(the default).")
    String out;

    @Mixin
    Writing writing;

    Sink<Row> sink() {
        return writing.sink(out, Io.Format.CSV);
    }

    /** How an output file is written: its format when the name does not say, and the file-safety flags. */
    static final class Writing {
        @Option(
                names = "--out-format",
                paramLabel = "FORMAT",
                description = "The output format when the name does not say: ${COMPLETION-CANDIDATES}.")
        Io.Format outFormat;

        @Option(names = "--no-clobber", description = "Refuse to replace an existing output file.")
        boolean noClobber;

        @Option(names = "--mkdirs", description = "Create the output's missing parent directories.")
        boolean mkdirs;

        /** The sink for {@code out}; a name without an extension gets {@code otherwise}. */
        Sink<Row> sink(String out, Io.Format otherwise) {
            return Io.sink(out, outFormat, otherwise, noClobber, mkdirs);
        }

        /** {@code out} as an {@link Output}: {@code -} is standard output. */
        Output output(String out) {
            return out.equals("-")
                    ? Io.stdoutOutput()
                    : Output.file(Path.of(out)).withOverwrite(!noClobber).withCreateDirectories(mkdirs);
        }
    }
}
