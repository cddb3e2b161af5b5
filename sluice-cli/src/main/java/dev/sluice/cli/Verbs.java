package dev.sluice.cli;

import dev.sluice.Flow;
import dev.sluice.Row;
import dev.sluice.RunSummary;
import dev.sluice.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The everyday streaming verbs: {@code headers}, {@code head}, {@code slice}, {@code select}, {@code search},
 * {@code cat}. Each reads files, globs or standard input ({@code -}) and writes CSV to standard output unless
 * {@code --out} says otherwise.
 */
final class Verbs {
    private Verbs() {}

    /** What every record-producing verb shares: inputs, dialect, error policy, output. */
    abstract static class RecordVerb implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        DialectOptions dialect;

        @Mixin
        OutputOptions output;

        @Mixin
        RunOptions run;

        @Option(names = "--threads", paramLabel = "N", description = Runners.THREADS)
        int threads = Runtime.getRuntime().availableProcessors();

        @Option(names = "--runner", paramLabel = "RUNNER", description = Runners.DESCRIPTION)
        String runner;

        /** The input arguments: files, globs or -. */
        abstract List<String> inputs();

        /** The flow from the rows to what is written. */
        abstract Flow<Row> apply(Flow<Row> rows);

        /** Checks flag values before any work; throws {@link UsageError}. */
        void validate() {}

        /** The runner: the local one, with a blocking verb's memory settings. */
        dev.sluice.Runner runner() {
            return dev.sluice.LocalRunner.get();
        }

        @Override
        public Integer call() throws Exception {
            if (threads < 1) {
                throw new UsageError("--threads must be at least 1, was " + threads);
            }
            validate();
            List<String> in = Io.expand(inputs());
            var source = Io.source(in, dialect);
            var policy = dialect.policy();
            var sink = output.sink();
            // one plain CSV file is read on all cores (output in input order, exactly as sequential); others
            // sequentially
            dev.sluice.Runner r = Runners.choose(runner, runner(), Runners.threadsGiven(spec, threads));
            RunSummary s;
            try {
                s = apply(Flow.from(source).onError(policy).parallel(threads))
                        .to(sink)
                        .run(r, run.progress(spec.name(), Io.progressFile(in)));
            } finally {
                Runners.close(r);
            }
            String rejected = s.rejected() == 0
                    ? ""
                    : String.format(
                            Locale.ROOT,
                            "; %,d bad record%s skipped, the first: %s",
                            s.rejected(),
                            s.rejected() == 1 ? " was" : "s were",
                            s.firstRejections().get(0));
            if (s.spilledBytes() > 0) {
                rejected += String.format(
                        Locale.ROOT,
                        "; spilled %s to temporary files",
                        dev.sluice.internal.spill.MemoryBudget.format(s.spilledBytes()));
            }
            if (output.out.equals("-")) {
                if (!rejected.isEmpty()) {
                    spec.commandLine().getErr().println("sluice: " + rejected.substring(2));
                }
                run.finish(
                        String.format(Locale.ROOT, "wrote %,d records to standard output%s", s.recordsOut(), rejected));
            } else {
                run.output(java.nio.file.Path.of(output.out));
                run.done(
                        "wrote %,d records to %s in %.2f s%s",
                        s.recordsOut(), output.out, s.elapsed().toNanos() / 1e9, rejected);
            }
            return 0;
        }
    }

    /** A verb with a blocking stage: one input, and how much memory it may hold and where it spills. */
    abstract static class BlockingVerb extends OneInput {
        @Mixin
        MemoryOptions memory;

        /** Checks the memory flags; verbs that check more call this too. */
        @Override
        void validate() {
            memory.runner();
        }

        @Override
        dev.sluice.Runner runner() {
            return memory.runner();
        }
    }

    /** One input. */
    abstract static class OneInput extends RecordVerb {
        @Parameters(
                index = "0",
                paramLabel = "FILE",
                description = "A CSV, TSV or JSON Lines file (.gz too), or - for standard input.")
        String file;

        @Override
        List<String> inputs() {
            return List.of(file);
        }
    }

    @Command(
            name = "headers",
            mixinStandardHelpOptions = true,
            description = "Prints the column names, numbered.",
            footerHeading = "%nExamples:%n",
            footer = {"  sluice headers parking.csv", "  sluice headers parking.csv --just-names"})
    static final class Headers implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The file, or - for standard input.")
        String file;

        @Option(names = "--just-names", description = "Only the names, one a line, without numbers.")
        boolean justNames;

        @Mixin
        DialectOptions dialect;

        @Override
        public Integer call() throws Exception {
            List<String> in = Io.expand(List.of(file));
            List<String> names = new ArrayList<>();
            if (Io.Format.JSONL == (dialect.inFormat != null ? dialect.inFormat : Io.Format.of(in.get(0)))) {
                Row first =
                        Flow.from(Io.source(in.subList(0, 1), dialect)).first().orElse(null);
                if (first != null) {
                    for (int i = 0; i < first.size(); i++) {
                        names.add(first.schema().name(i));
                    }
                }
            } else {
                // the first record, read as data: the header's names (or, without a header, the first record's width)
                DialectOptions raw = dialect;
                var source = Io.source(in.subList(0, 1), raw);
                var asData = ((dev.sluice.csv.CsvSource) source)
                        .withFormat(((dev.sluice.csv.CsvSource) source)
                                .format()
                                .withHeader(false)
                                .withRagged(dev.sluice.csv.RaggedPolicy.PAD));
                Row first = Flow.from(asData).first().orElse(null);
                if (first != null) {
                    for (int i = 0; i < first.size(); i++) {
                        names.add(dialect.noHeader ? Integer.toString(i + 1) : first.get(i));
                    }
                }
            }
            var out = spec.commandLine().getOut();
            int w = Integer.toString(names.size()).length();
            for (int i = 0; i < names.size(); i++) {
                if (justNames) {
                    out.println(names.get(i));
                } else {
                    out.printf(Locale.ROOT, "%" + w + "d   %s%n", i + 1, names.get(i));
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "head",
            mixinStandardHelpOptions = true,
            description = "Writes the first N records (default 10).",
            footerHeading = "%nExamples:%n",
            footer = {"  sluice head parking.csv -n 5", "  zcat big.csv.gz | sluice head -"})
    static final class Head extends OneInput {
        @Option(
                names = {"-n", "--rows"},
                paramLabel = "N",
                defaultValue = "10",
                description = "How many (default: ${DEFAULT-VALUE}).")
        long n;

        @Override
        void validate() {
            if (n < 0) {
                throw new UsageError("-n must be at least 0, was " + n);
            }
        }

        @Override
        Flow<Row> apply(Flow<Row> rows) {
            return rows.limit(n);
        }
    }

    @Command(
            name = "slice",
            mixinStandardHelpOptions = true,
            description = {
                "Writes a range of records.",
                "From --start (0-based) for --len records, or up to --end (exclusive)."
            },
            footerHeading = "%nExamples:%n",
            footer = {"  sluice slice parking.csv --start 1000 --len 10"})
    static final class Slice extends OneInput {
        @Option(
                names = {"-s", "--start"},
                paramLabel = "I",
                defaultValue = "0",
                description = "The first record, 0-based (default: 0).")
        long start;

        @Option(
                names = {"-l", "--len"},
                paramLabel = "N",
                description = "How many records.")
        Long len;

        @Option(
                names = {"-e", "--end"},
                paramLabel = "I",
                description = "The record to stop before, 0-based.")
        Long end;

        @Override
        void validate() {
            if (start < 0) {
                throw new UsageError("--start must be at least 0, was " + start);
            }
            if (len != null && end != null) {
                throw new UsageError("give --len or --end, not both");
            }
            if (len != null && len < 0) {
                throw new UsageError("--len must be at least 0, was " + len);
            }
            if (end != null && end < start) {
                throw new UsageError("--end (" + end + ") must not be before --start (" + start + ")");
            }
        }

        @Override
        Flow<Row> apply(Flow<Row> rows) {
            Flow<Row> f = rows.skip(start);
            if (len != null) {
                return f.limit(len);
            }
            return end != null ? f.limit(end - start) : f;
        }
    }

    @Command(
            name = "sort",
            mixinStandardHelpOptions = true,
            description = {
                "Sorts records by columns, beyond memory.",
                "A stable sort (records with equal keys keep their order) of any size: past --memory, sorted runs "
                        + "spill to temporary files and are merged.",
                "BY: columns, comma-separated, each with options after colons: desc, num (compare as numbers), "
                        + "nullsfirst or nullslast. Text compares by Unicode code point; empty numbers and absent "
                        + "fields are null, last in ascending order and first in descending order."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  sluice sort parking.csv --by 'Plate ID,Issue Date:desc' --out sorted.csv",
                "  sluice sort parking.csv --by 'Fine Amount:num:desc' --memory 256MB | sluice head - -n 10"
            })
    static final class Sort extends BlockingVerb {
        @Option(
                names = "--by",
                required = true,
                paramLabel = "BY",
                description = "The sort columns, e.g. 'Plate ID,Issue Date:desc,Fine:num'.")
        String by;

        @Option(
                names = "--limit",
                paramLabel = "N",
                description = "Only the first N records (up to 10,000: one pass through a heap of N, no spilling).")
        Long limit;

        private List<dev.sluice.SortKey> keys() {
            List<dev.sluice.SortKey> keys = new ArrayList<>();
            for (String part : Columns.splitList(by)) {
                try {
                    keys.add(dev.sluice.SortKey.parse(part));
                } catch (IllegalArgumentException e) {
                    throw new UsageError("--by: " + e.getMessage());
                }
            }
            if (keys.isEmpty()) {
                throw new UsageError("--by needs at least one column");
            }
            return keys;
        }

        @Override
        void validate() {
            keys();
            super.validate();
        }

        @Override
        Flow<Row> apply(Flow<Row> rows) {
            if (limit != null && limit < 0) {
                throw new UsageError("--limit must be at least 0, was " + limit);
            }
            Flow<Row> sorted = rows.sortBy(keys().toArray(new dev.sluice.SortKey[0]));
            return limit == null ? sorted : sorted.limit(limit);
        }
    }

    /** The key columns of a grouping verb. */
    static List<String> columns(String by, String option) {
        List<String> cols = new ArrayList<>();
        for (String c : Columns.splitList(by)) {
            cols.add(c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"") ? c.substring(1, c.length() - 1) : c);
        }
        if (cols.isEmpty()) {
            throw new UsageError(option + " needs at least one column");
        }
        return cols;
    }

    @Command(
            name = "group",
            mixinStandardHelpOptions = true,
            description = {
                "Aggregates records per group of columns, beyond memory.",
                "One record per distinct value of the --by columns (empty values group together as null), in key "
                        + "order, with one column per aggregate. Past --memory, groups spill to temporary files "
                        + "and are merged.",
                "AGGS: comma-separated: count, count:COL (non-empty values), sum:COL, avg:COL, min:COL, max:COL "
                        + "(text by code point; min:COL:num compares numbers), first:COL, last:COL, distinct:COL "
                        + "(the number of distinct values), approx_distinct:COL (estimated in 4 KiB). Empty fields are null and skipped; sums are exact."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  sluice group parking.csv --by 'Vehicle Make' --agg 'count,sum:Violation Code'",
                "  sluice group parking.csv --by 'Plate ID,Registration State' --agg 'count,min:Issue Date,max:Issue Date'",
                "  sluice group by-plate.csv --by 'Plate ID' --sorted --agg count"
            })
    static final class Group extends BlockingVerb {
        @Option(names = "--by", required = true, paramLabel = "COLS", description = "The group columns.")
        String by;

        @Option(
                names = "--agg",
                defaultValue = "count",
                paramLabel = "AGGS",
                description = "The aggregates (default: ${DEFAULT-VALUE}).")
        String agg;

        @Option(
                names = "--sorted",
                description = "The input is sorted by the --by columns (as sort --by gives): hold one group and "
                        + "write each as the next begins, in input order; the order is checked.")
        boolean sorted;

        private dev.sluice.Agg[] aggs() {
            List<dev.sluice.Agg> out = new ArrayList<>();
            for (String part : Columns.splitList(agg)) {
                try {
                    out.add(dev.sluice.Agg.parse(part));
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw new UsageError("--agg: " + e.getMessage());
                }
            }
            if (out.isEmpty()) {
                throw new UsageError("--agg needs at least one aggregate");
            }
            return out.toArray(new dev.sluice.Agg[0]);
        }

        @Override
        void validate() {
            columns(by, "--by");
            aggs();
            super.validate();
        }

        @Override
        Flow<Row> apply(Flow<Row> rows) {
            try {
                String[] keys = columns(by, "--by").toArray(new String[0]);
                return (sorted ? rows.groupSorted(keys) : rows.groupBy(keys)).aggregate(aggs());
            } catch (IllegalArgumentException e) {
                throw new UsageError(e.getMessage());
            }
        }
    }

    @Command(
            name = "join",
            mixinStandardHelpOptions = true,
            description = {
                "Joins two files on key columns, beyond memory.",
                "A hash join: RIGHT is read into memory (put the smaller file there) and LEFT streams through it, so "
                        + "the output follows LEFT's order; past --memory both are partitioned to temporary files. "
                        + "Columns: LEFT's, then RIGHT's; a key named the same on both sides appears once, other "
                        + "clashing RIGHT columns get the suffix _right. Empty keys match nothing.",
                "ON: LCOL=RCOL pairs, comma-separated, or a column named the same in both."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  sluice join tickets.csv registrations.csv --on 'Plate ID,Registration State' --out both.csv",
                "  sluice join tickets.csv plates.csv --on 'Plate ID=plate' --anti | sluice count -",
                "  sluice join by-plate.csv regs-by-plate.csv --on 'Plate ID' --sorted"
            })
    static final class JoinFiles implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(
                index = "0",
                paramLabel = "LEFT",
                description = "The left file (CSV, TSV, JSON Lines; - for stdin).")
        String leftFile;

        @Parameters(index = "1", paramLabel = "RIGHT", description = "The right file, read into memory.")
        String rightFile;

        @Option(names = "--on", required = true, paramLabel = "ON", description = "The key columns.")
        String on;

        @picocli.CommandLine.ArgGroup(exclusive = true)
        Kind kind = new Kind();

        @Option(
                names = "--sorted",
                description = "Both files are sorted by their keys (as sort --by gives): a merge join that streams "
                        + "both and holds one key's RIGHT records; the order is checked.")
        boolean sorted;

        static final class Kind {
            @Option(names = "--left", description = "Every LEFT record, matched or not.")
            boolean left;

            @Option(names = "--right", description = "Every RIGHT record, matched or not.")
            boolean right;

            @Option(names = "--full", description = "Every record of both.")
            boolean full;

            @Option(names = "--semi", description = "The LEFT records that have a match, once each.")
            boolean semi;

            @Option(names = "--anti", description = "The LEFT records that have no match.")
            boolean anti;
        }

        @Mixin
        DialectOptions dialect;

        @Mixin
        OutputOptions output;

        @Mixin
        RunOptions run;

        @picocli.CommandLine.Mixin
        MemoryOptions memory;

        @Option(names = "--runner", paramLabel = "RUNNER", description = Runners.DESCRIPTION)
        String runnerSpec;

        @Option(names = "--threads", paramLabel = "N", description = Runners.THREADS)
        int threads = Runtime.getRuntime().availableProcessors();

        @Override
        public Integer call() throws Exception {
            if (threads < 1) {
                throw new UsageError("--threads must be at least 1, was " + threads);
            }
            dev.sluice.Join join;
            try {
                join = dev.sluice.Join.parse(on);
            } catch (IllegalArgumentException e) {
                throw new UsageError("--on: " + e.getMessage());
            }
            if (kind.left) {
                join = join.left();
            } else if (kind.right) {
                join = join.right();
            } else if (kind.full) {
                join = join.full();
            } else if (kind.semi) {
                join = join.semi();
            } else if (kind.anti) {
                join = join.anti();
            }
            dev.sluice.Runner runner = Runners.choose(runnerSpec, memory.runner(), Runners.threadsGiven(spec, threads));
            List<String> left = Io.expand(List.of(leftFile));
            List<String> right = Io.expand(List.of(rightFile));
            var policy = dialect.policy();
            Flow<Row> leftRows = Flow.from(Io.source(left, dialect));
            Flow<Row> rightRows = Flow.from(Io.source(right, dialect));
            RunSummary s;
            try {
                s = (sorted ? leftRows.joinSorted(rightRows, join) : leftRows.join(rightRows, join))
                        .onError(policy)
                        .to(output.sink())
                        .run(runner, run.progress(spec.name(), Io.progressFile(left)));
            } finally {
                Runners.close(runner);
            }
            String spilled = s.spilledBytes() == 0
                    ? ""
                    : "; spilled " + dev.sluice.internal.spill.MemoryBudget.format(s.spilledBytes())
                            + " to temporary files";
            if (output.out.equals("-")) {
                run.finish(
                        String.format(Locale.ROOT, "wrote %,d records to standard output%s", s.recordsOut(), spilled));
            } else {
                run.output(java.nio.file.Path.of(output.out));
                run.done(
                        "wrote %,d records to %s in %.2f s%s",
                        s.recordsOut(), output.out, s.elapsed().toNanos() / 1e9, spilled);
            }
            return 0;
        }
    }

    @Command(
            name = "dedup",
            mixinStandardHelpOptions = true,
            description = {
                "Writes the first record of each distinct value, in input order.",
                "Records compare by the --by columns (default: all), empty values as null. It streams while the "
                        + "values seen fit in --memory, then spills: any input size."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  sluice dedup parking.csv --by 'Summons Number' --out unique.csv",
                "  sluice dedup parking.csv --by 'Plate ID,Registration State' | sluice count -",
                "  sluice dedup parking.csv --by 'Plate ID,Registration State,Vehicle Make' --keys-only"
            })
    static final class Dedup extends BlockingVerb {
        @Option(names = "--by", paramLabel = "COLS", description = "The columns that make a record distinct.")
        String by;

        @Option(
                names = "--keys-only",
                description = "Write only the --by columns: their distinct values in key order, like SQL's SELECT "
                        + "DISTINCT (faster: neither the other columns nor the input's order are kept).")
        boolean keysOnly;

        @Override
        void validate() {
            if (by != null) {
                columns(by, "--by");
            } else if (keysOnly) {
                throw new UsageError("--keys-only needs --by: the columns to write");
            }
            super.validate();
        }

        @Override
        Flow<Row> apply(Flow<Row> rows) {
            if (by == null) {
                return rows.distinct();
            }
            String[] keys = columns(by, "--by").toArray(new String[0]);
            // the distinct keys alone: a group-by without aggregates, in key order (SELECT DISTINCT)
            return keysOnly ? rows.groupBy(keys).keys() : rows.distinct(keys);
        }
    }

    @Command(
            name = "stats",
            mixinStandardHelpOptions = true,
            description = {
                "Profiles every column in one pass: a record per column.",
                "Columns: field, type (integer, number, date (2017-12-31 or 12/31/2017), text, or empty when the "
                        + "column has no value), count "
                        + "(non-empty values), empty, distinct (exact up to 1,000, then estimated within about 2%%), "
                        + "min and max (as numbers or dates where the column is, else as text), min_length, max_length, and "
                        + "for numeric columns mean and stddev (population). Fixed memory per column; all cores on "
                        + "one plain CSV file."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  sluice stats parking.csv",
                "  sluice stats parking.csv --out profile.csv",
                "  sluice stats parking.csv | sluice search - '^(integer|number)$' --select type"
            })
    static final class Stats extends BlockingVerb {
        @Override
        Flow<Row> apply(Flow<Row> rows) {
            return rows.stats();
        }
    }

    @Command(
            name = "frequency",
            mixinStandardHelpOptions = true,
            description = {
                "Counts the records per distinct value, most frequent first.",
                "One record per distinct value of the --by columns with its count, most frequent first, ties in "
                        + "key order. Empty values count together as null. Beyond memory, like group."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  sluice frequency parking.csv --by 'Vehicle Make' | sluice head - -n 10",
                "  sluice frequency parking.csv --by 'Registration State,Plate Type'"
            })
    static final class Frequency extends BlockingVerb {
        @Option(names = "--by", required = true, paramLabel = "COLS", description = "The columns.")
        String by;

        @Override
        void validate() {
            columns(by, "--by");
            super.validate();
        }

        @Override
        Flow<Row> apply(Flow<Row> rows) {
            List<String> cols = columns(by, "--by");
            List<dev.sluice.SortKey> keys = new ArrayList<>();
            keys.add(dev.sluice.SortKey.desc("count"));
            for (String c : cols) {
                keys.add(dev.sluice.SortKey.asc(c));
            }
            try {
                return rows.groupBy(cols.toArray(new String[0]))
                        .count()
                        .sortBy(keys.toArray(new dev.sluice.SortKey[0]));
            } catch (IllegalArgumentException e) {
                throw new UsageError(e.getMessage());
            }
        }
    }

    @Command(
            name = "select",
            mixinStandardHelpOptions = true,
            description = {
                "Writes the chosen columns, in the order given.",
                "COLS: names or 1-based numbers, comma-separated; ranges (2-5, Name-Other); renames (new=old);",
                "a name in double quotes may hold commas, dashes or digits (\"Fine, total\")."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  sluice select parking.csv 'Plate ID,Registration State,Issue Date'",
                "  sluice select parking.csv '1-3,state=Registration State' --out few.jsonl"
            })
    static final class Select extends RecordVerb {
        @Parameters(index = "0", paramLabel = "FILE", description = "The file, a glob, or - for standard input.")
        String file;

        @Parameters(index = "1", paramLabel = "COLS", description = "The columns.")
        String cols;

        @Override
        List<String> inputs() {
            return List.of(file);
        }

        @Override
        void validate() {
            Columns.parse(cols);
        }

        @Override
        Flow<Row> apply(Flow<Row> rows) {
            Columns c = Columns.parse(cols);
            return rows.map(c::project).named("select");
        }
    }

    @Command(
            name = "search",
            mixinStandardHelpOptions = true,
            description = {
                "Writes the records in which a field matches a pattern.",
                "REGEX is a Java regular expression; it may match any part of a field."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  sluice search parking.csv '^FORD$' --select 'Vehicle Make'",
                "  sluice search parking.csv 'NY' --invert --ignore-case | sluice count -"
            })
    static final class Search extends RecordVerb {
        @Parameters(index = "0", paramLabel = "FILE", description = "The file, a glob, or - for standard input.")
        String file;

        @Parameters(index = "1", paramLabel = "REGEX", description = "The pattern; it may match any part of a field.")
        String regex;

        @Option(
                names = {"-s", "--select"},
                paramLabel = "COLS",
                description = "Search only these columns (as in select).")
        String select;

        @Option(
                names = {"-v", "--invert"},
                description = "Write the records that do not match.")
        boolean invert;

        @Option(
                names = {"-i", "--ignore-case"},
                description = "Match regardless of case.")
        boolean ignoreCase;

        @Override
        List<String> inputs() {
            return List.of(file);
        }

        private Pattern pattern() {
            try {
                return Pattern.compile(regex, ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
            } catch (PatternSyntaxException e) {
                throw new UsageError("REGEX is not a valid pattern: " + e.getDescription() + " near index "
                        + e.getIndex() + " of '" + regex + "'");
            }
        }

        @Override
        void validate() {
            pattern();
            if (select != null) {
                Columns.parse(select);
            }
        }

        @Override
        Flow<Row> apply(Flow<Row> rows) {
            Pattern p = pattern();
            Columns c = select == null ? null : Columns.parse(select);
            boolean inv = invert;
            return rows.filter(r -> {
                        boolean hit = false;
                        if (c == null) {
                            for (int i = 0; i < r.size() && !hit; i++) {
                                String v = r.get(i);
                                hit = v != null && p.matcher(v).find();
                            }
                        } else {
                            for (int i : c.indexes(r.schema())) {
                                String v = r.get(i);
                                if (v != null && p.matcher(v).find()) {
                                    hit = true;
                                    break;
                                }
                            }
                        }
                        return hit != inv;
                    })
                    .named("search");
        }
    }

    @Command(
            name = "cat",
            mixinStandardHelpOptions = true,
            description = {
                "Writes several files' records one after another.",
                "Files or globs, read in order under one header: every file must have the first one's columns."
            },
            footerHeading = "%nExamples:%n",
            footer = {"  sluice cat 'pv_*.csv' --out all.csv.gz"})
    static final class Cat extends RecordVerb {
        @Parameters(
                index = "0..*",
                arity = "1..*",
                paramLabel = "FILE",
                description = "Files or globs, in order; - for standard input.")
        List<String> files;

        @Override
        List<String> inputs() {
            return files;
        }

        @Override
        Flow<Row> apply(Flow<Row> rows) {
            return rows;
        }
    }

    /** A column selection: names, 1-based numbers, ranges and renames, resolved against each schema once. */
    static final class Columns implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        /** One item: a column (or range) and, for a single column, its new name. */
        private static final class Item implements java.io.Serializable {
            private static final long serialVersionUID = 1L;
            final String from;
            final String to; // range end, or null
            final boolean fromQuoted;
            final boolean toQuoted;
            final String rename;

            Item(String from, boolean fromQuoted, String to, boolean toQuoted, String rename) {
                this.from = from;
                this.fromQuoted = fromQuoted;
                this.to = to;
                this.toQuoted = toQuoted;
                this.rename = rename;
            }
        }

        private final String spec;

        @SuppressWarnings("serial") // an immutable List.copyOf, which is serializable
        private final List<Item> items;
        /** The last schema resolved, immutable, so that parallel workers share it without locks. */
        private transient volatile Resolved last;

        private static final class Resolved {
            final Schema in;
            final int[] idx;
            final Schema out;

            Resolved(Schema in, int[] idx, Schema out) {
                this.in = in;
                this.idx = idx;
                this.out = out;
            }
        }

        private Columns(String spec, List<Item> items) {
            this.spec = spec;
            this.items = items;
        }

        static Columns parse(String spec) {
            List<Item> items = new ArrayList<>();
            for (String tok : splitTop(spec, ',')) {
                if (tok.isEmpty()) {
                    throw new UsageError("COLS '" + spec + "' has an empty item");
                }
                String rename = null;
                int eq = indexTop(tok, '=');
                if (eq >= 0) {
                    rename = unquote(tok.substring(0, eq));
                    tok = tok.substring(eq + 1);
                    if (rename.isEmpty() || tok.isEmpty()) {
                        throw new UsageError("COLS item '" + tok + "': a rename is new=old");
                    }
                }
                int dash = tok.startsWith("\"") ? indexTop(tok, '-') : tok.indexOf('-', 1);
                if (dash > 0 && rename == null) {
                    String a = tok.substring(0, dash);
                    String b = tok.substring(dash + 1);
                    items.add(new Item(unquote(a), a.startsWith("\""), unquote(b), b.startsWith("\""), null));
                } else {
                    items.add(new Item(unquote(tok), tok.startsWith("\""), null, false, rename));
                }
            }
            if (items.isEmpty()) {
                throw new UsageError("COLS is empty: name at least one column");
            }
            return new Columns(spec, List.copyOf(items));
        }

        /** A comma-separated list, commas inside double quotes kept; items trimmed, empty ones dropped. */
        static List<String> splitList(String s) {
            List<String> out = new ArrayList<>();
            for (String item : splitTop(s, ',')) {
                if (!item.isEmpty()) {
                    out.add(item);
                }
            }
            return out;
        }

        private static List<String> splitTop(String s, char sep) {
            List<String> out = new ArrayList<>();
            StringBuilder b = new StringBuilder();
            boolean q = false;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"') {
                    q = !q;
                }
                if (c == sep && !q) {
                    out.add(b.toString().trim());
                    b.setLength(0);
                } else {
                    b.append(c);
                }
            }
            out.add(b.toString().trim());
            return out;
        }

        private static int indexTop(String s, char c) {
            boolean q = false;
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) == '"') {
                    q = !q;
                } else if (s.charAt(i) == c && !q) {
                    return i;
                }
            }
            return -1;
        }

        private static String unquote(String s) {
            s = s.trim();
            return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
        }

        private static int resolve(Schema schema, String name, boolean quoted) {
            if (!quoted && !name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                int i;
                try {
                    i = Integer.parseInt(name) - 1;
                } catch (NumberFormatException e) {
                    i = -1;
                }
                if (i < 0 || i >= schema.size()) {
                    throw new UsageError(
                            "column number " + name + " is out of range: there are " + schema.size() + " columns");
                }
                return i;
            }
            int i = schema.indexOf(name);
            if (i < 0) {
                List<String> names = new ArrayList<>();
                for (int k = 0; k < Math.min(schema.size(), 12); k++) {
                    names.add(schema.name(k));
                }
                throw new UsageError("no column '" + name + "'; columns are " + names
                        + (schema.size() > 12 ? " and " + (schema.size() - 12) + " more" : "")
                        + " (see sluice headers)");
            }
            return i;
        }

        /** The selected columns' indexes in {@code schema}, in order. */
        int[] indexes(Schema schema) {
            return resolved(schema).idx;
        }

        private Resolved resolved(Schema schema) {
            Resolved r = last;
            if (r != null && r.in == schema) {
                return r;
            }
            List<Integer> idx = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (Item it : items) {
                int a = resolve(schema, it.from, it.fromQuoted);
                if (it.to == null) {
                    idx.add(a);
                    names.add(it.rename != null ? it.rename : schema.name(a));
                    continue;
                }
                int b = resolve(schema, it.to, it.toQuoted);
                int step = a <= b ? 1 : -1;
                for (int k = a; k != b + step; k += step) {
                    idx.add(k);
                    names.add(schema.name(k));
                }
            }
            r = new Resolved(schema, idx.stream().mapToInt(Integer::intValue).toArray(), Schema.of(names));
            last = r;
            return r;
        }

        Row project(Row r) {
            Resolved c = resolved(r.schema());
            int[] idx = c.idx;
            Object[] v = new Object[idx.length];
            for (int i = 0; i < idx.length; i++) {
                v[i] = r.get(idx[i]);
            }
            return Row.of(c.out, v, r.origin());
        }

        @Override
        public String toString() {
            return spec;
        }
    }
}
