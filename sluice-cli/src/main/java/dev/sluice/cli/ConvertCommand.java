package dev.sluice.cli;

import dev.sluice.Flow;
import dev.sluice.RunSummary;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice convert IN OUT}: between CSV, TSV and JSON Lines, by the files' extensions. */
@Command(
        name = "convert",
        mixinStandardHelpOptions = true,
        description = {
            "Converts between CSV, TSV and JSON Lines.",
            "The names' extensions say which (.gz compresses, either way). JSON Lines objects have the header as keys",
            "and the values as strings."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  sluice convert parking.csv parking.jsonl",
            "  sluice convert parking.jsonl.gz parking.tsv",
            "  sluice convert parking.csv - | head"
        })
final class ConvertCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "IN",
            description = "The file to read (.csv, .tsv, .jsonl, .ndjson; .gz too), "
                    + "or - for standard input (CSV unless --in-format says).")
    String in;

    @Parameters(
            index = "1",
            paramLabel = "OUT",
            description =
                    "The file to write (.csv, .tsv, .jsonl, .ndjson; .gz "
                            + "compresses), or - for standard output (a name without an extension gets JSON Lines unless --out-format says).")
    String out;

    @Mixin
    OutputOptions.Writing writing;

    @Mixin
    DialectOptions dialect;

    @Mixin
    RunOptions run;

    @picocli.CommandLine.Option(names = "--threads", paramLabel = "N", description = Runners.THREADS)
    int threads = Runtime.getRuntime().availableProcessors();

    @picocli.CommandLine.Option(names = "--runner", paramLabel = "RUNNER", description = Runners.DESCRIPTION)
    String runner;

    @Override
    public Integer call() throws Exception {
        if (threads < 1) {
            throw new UsageError("--threads must be at least 1, was " + threads);
        }
        var sink = writing.sink(out, Io.Format.JSONL);
        List<String> inputs = Io.expand(List.of(in));
        var source = Io.source(inputs, dialect);
        dev.sluice.Runner r = Runners.choose(runner, dev.sluice.LocalRunner.get(), Runners.threadsGiven(spec, threads));
        RunSummary s;
        try {
            s = Flow.from(source)
                    .onError(dialect.policy())
                    .parallel(threads)
                    .to(sink)
                    .run(r, run.progress("convert", Io.progressFile(inputs)));
        } finally {
            Runners.close(r);
        }
        String rejected = s.rejected() == 0
                ? ""
                : String.format(
                        Locale.ROOT,
                        "; %,d bad records skipped, the first: %s",
                        s.rejected(),
                        s.firstRejections().get(0));
        if (out.equals("-")) { // standard output is for the records: only problems go to standard error
            if (!rejected.isEmpty()) {
                spec.commandLine().getErr().println("sluice: " + rejected.substring(2));
            }
            run.finish(
                    String.format(Locale.ROOT, "converted %,d records to standard output%s", s.recordsOut(), rejected));
        } else {
            run.output(java.nio.file.Path.of(out));
            run.done(
                    "converted %,d records to %s in %.2f s%s",
                    s.recordsOut(), out, s.elapsed().toNanos() / 1e9, rejected);
        }
        return 0;
    }
}
