package dev.sluice.cli;

import dev.sluice.RunSummary;
import dev.sluice.SluiceException;
import dev.sluice.jdbc.Database;
import dev.sluice.jdbc.Dialect;
import dev.sluice.jdbc.Jdbc;
import dev.sluice.jdbc.Table;
import dev.sluice.jdbc.TableSink;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice load FILE --db URL --table T}: create and fill a table from a CSV file. */
@Command(
        name = "load",
        mixinStandardHelpOptions = true,
        description = {
            "Loads a CSV file into a database table.",
            "Creates the table if it does not exist, with every column as text, so values keep their exact text.",
            "Inserts in batches, a commit per batch; --copy uses PostgreSQL's COPY. A table that already has rows",
            "is refused unless --append, --replace or --upsert says what to do."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  sluice load parking.csv --db jdbc:sqlite:parking.db --table tickets",
            "  sluice load parking.csv --db jdbc:sqlite:parking.db --table tickets --replace",
            "  sluice load parking.csv --table tickets --copy \\",
            "      --db 'jdbc:postgresql://localhost/db?user=u&password=p'"
        })
final class LoadCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "FILE",
            description = "The CSV file (may be gzip-compressed), several as a " + "glob, or - for standard input.")
    String file;

    @Mixin
    DatabaseOptions database;

    @Option(
            names = "--table",
            required = true,
            paramLabel = "T",
            description = "The table to fill: a name, or " + "schema.table; \"double quotes\" keep a dot in a name.")
    String table;

    int batch = 1000;

    @Option(names = "--copy", description = "Use PostgreSQL's COPY (PostgreSQL only).")
    boolean copy;

    @Option(
            names = "--upsert",
            paramLabel = "KEY",
            split = ",",
            description = "Insert or update on these key columns (the table needs a primary key or unique index on "
                    + "them; a created table gets one).")
    List<String> upsert = List.of();

    @Option(names = "--append", description = "Add to the rows a table already has.")
    boolean append;

    @Option(
            names = "--replace",
            description = "Replace a table's rows: empty it and load in one transaction, so a "
                    + "failed load leaves the table as it was.")
    boolean replace;

    @Mixin
    DialectOptions dialect;

    @Mixin
    RunOptions run;

    @Option(
            names = "--batch",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Rows per batch and commit " + "(default: ${DEFAULT-VALUE}).")
    void setBatch(int n) {
        if (n < 1) {
            throw new ParameterException(spec.commandLine(), "--batch must be at least 1, was " + n);
        }
        batch = n;
    }

    @Override
    public Integer call() throws Exception {
        if (append && replace) {
            throw new ParameterException(spec.commandLine(), "--append and --replace cannot be used together");
        }
        if (copy && !upsert.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--copy cannot upsert; use --upsert without --copy");
        }
        if (copy && Dialect.of(database.url) != Dialect.POSTGRESQL) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--copy is PostgreSQL's; " + Jdbc.redact(database.url) + " is not a PostgreSQL URL");
        }
        Table t;
        Database db = database.database();
        try {
            t = db.table(table);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--table: " + e.getMessage());
        }
        if (!append && !replace && upsert.isEmpty()) {
            OptionalLong rows = t.count();
            if (rows.isPresent() && rows.getAsLong() > 0) {
                throw new SluiceException(String.format(
                        Locale.ROOT,
                        "table %s already has %,d rows; add --append to add to "
                                + "them, --replace to replace them, or --upsert KEY to update them by key",
                        table,
                        rows.getAsLong()));
            }
        }
        AtomicLong committed = new AtomicLong();
        TableSink sink = t.write()
                .withCreateTable(true)
                .withBatchSize(batch)
                .withCopy(copy)
                .withUpsert(upsert.toArray(new String[0]))
                .withReplace(replace)
                .withCommitListener(committed::set);
        RunSummary s;
        java.util.List<String> in = Io.expand(java.util.List.of(file));
        var source = Io.source(in, dialect);
        try {
            s = dev.sluice.Flow.from(source)
                    .onError(dialect.policy())
                    .to(sink)
                    .run(run.progress("load", Io.progressFile(in)));
        } catch (RuntimeException e) {
            String m = Main.describe(e);
            if (m.contains(" committed") || e instanceof ParameterException) {
                throw e; // the sink's own errors say what is committed
            }
            throw new SluiceException(
                    m + "; "
                            + (replace
                                    ? "nothing was committed (--replace loads in one transaction), and " + table
                                            + " keeps its earlier rows"
                                    : committed.get() == 0
                                            ? "nothing was committed to " + table
                                            : String.format(
                                                    Locale.ROOT,
                                                    "%,d rows were committed to %s",
                                                    committed.get(),
                                                    table)),
                    e);
        }
        double secs = s.elapsed().toNanos() / 1e9;
        run.done(
                "loaded %,d rows into %s in %.2f s (%,.0f rows/s)%s%s",
                s.recordsOut(),
                table,
                secs,
                s.recordsOut() / Math.max(secs, 1e-9),
                replace ? ", replacing its earlier rows" : "",
                s.rejected() > 0 ? String.format(Locale.ROOT, "; %,d bad records skipped", s.rejected()) : "");
        return 0;
    }
}
