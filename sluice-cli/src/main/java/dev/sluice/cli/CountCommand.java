package dev.sluice.cli;

import dev.sluice.Flow;
import dev.sluice.RunSummary;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice count FILE...}: prints the number of data records. */
@Command(
        name = "count",
        mixinStandardHelpOptions = true,
        description = {
            "Counts the records of CSV, TSV or JSON Lines files.",
            "Prints the number of records, without the header; a quoted line break does not start a record."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  sluice count parking.csv",
            "  sluice count 'pv_*.csv'",
            "  sluice count --delimiter '\\t' --ragged skip data.tsv.gz",
            "  zcat big.csv.gz | sluice count -"
        })
final class CountCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(
            index = "0..*",
            arity = "1..*",
            paramLabel = "FILE",
            description = "CSV, TSV or JSON Lines files or globs (gzip too), counted together; - for standard input.")
    List<String> files;

    @Mixin
    DialectOptions dialect;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() throws Exception {
        List<String> in = Io.expand(files);
        var source = Io.source(in, dialect);
        RunSummary s = Flow.from(source).onError(dialect.policy()).run(run.progress("count", Io.progressFile(in)));
        spec.commandLine().getOut().println(s.recordsOut());
        if (s.rejected() > 0) {
            spec.commandLine()
                    .getErr()
                    .println("sluice: " + s.rejected() + " bad records were skipped; the first: "
                            + s.firstRejections().get(0));
        }
        run.finish(Long.toString(s.recordsOut()));
        return 0;
    }
}
