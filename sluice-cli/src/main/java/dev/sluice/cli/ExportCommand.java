package dev.sluice.cli;

import dev.sluice.Flow;
import dev.sluice.RunSummary;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sluice export --db URL --query SQL --out FILE}: stream a query's result to a CSV file. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a database query's result as CSV, TSV or JSON Lines.",
            "Streams it through a server-side cursor, so memory stays flat whatever its size. The database is opened",
            "read-only: a mistyped SQLite path is an error, not a new empty file."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  sluice export --db jdbc:sqlite:parking.db --out tickets.csv \\",
            "      --query 'SELECT * FROM tickets'",
            "  sluice export --db jdbc:sqlite:p.db --query 'SELECT * FROM t' | sluice head -"
        })
final class ExportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--query", required = true, paramLabel = "SQL", description = "The query.")
    String query;

    @Mixin
    OutputOptions output;

    int fetch = 10_000;

    @Option(
            names = "--fetch",
            paramLabel = "N",
            defaultValue = "10000",
            description = "Rows per fetch (default: " + "${DEFAULT-VALUE}).")
    void setFetch(int n) {
        if (n < 1) {
            throw new ParameterException(spec.commandLine(), "--fetch must be at least 1, was " + n);
        }
        fetch = n;
    }

    @picocli.CommandLine.Mixin
    RunOptions run;

    @Override
    public Integer call() throws java.io.IOException {
        var sink = output.sink();
        RunSummary s = Flow.from(
                        database.database().withReadOnly(true).query(query).withFetchSize(fetch))
                .to(sink)
                .run(run.progress("export", null));
        if (output.out.equals("-")) {
            run.finish(String.format(Locale.ROOT, "exported %,d rows to standard output", s.recordsOut()));
        } else {
            run.output(java.nio.file.Path.of(output.out));
            run.done(
                    "exported %,d rows to %s in %.2f s",
                    s.recordsOut(), output.out, s.elapsed().toNanos() / 1e9);
        }
        return 0;
    }
}
