package dev.sluice.testing;

import dev.sluice.Flow;
import dev.sluice.RunSummary;
import dev.sluice.Runner;
import dev.sluice.Sinks;
import dev.sluice.StageSummary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A test kit for your own pipelines: run a flow on a runner, then assert on its records and its summary.
 *
 * <pre>{@code
 * RunResult<Row> r = RunResult.of(myFlow, LocalRunner.get());
 * r.assertRecords(expected);
 * r.assertStage("nj-ford-police", 4999, 38);   // in, out
 * }</pre>
 */
public final class RunResult<T> {
    private final List<T> records;
    private final RunSummary summary;

    private RunResult(List<T> records, RunSummary summary) {
        this.records = records;
        this.summary = summary;
    }

    /** Runs {@code flow} on {@code runner}, collecting its records in order. */
    public static <T> RunResult<T> of(Flow<T> flow, Runner runner) {
        List<T> out = Collections.synchronizedList(new ArrayList<>());
        RunSummary s = flow.to(Sinks.collect(out)).run(runner);
        return new RunResult<>(List.copyOf(out), s);
    }

    /** The records, in the order the sink received them. */
    public List<T> records() {
        return records;
    }

    /** The run's summary. */
    public RunSummary summary() {
        return summary;
    }

    /** Fails unless the records are exactly {@code expected}, in order. */
    public RunResult<T> assertRecords(List<?> expected) {
        if (!records.equals(expected)) {
            throw new AssertionError(
                    "records differ:\n expected " + abbreviate(expected) + "\n but got  " + abbreviate(records));
        }
        return this;
    }

    /** Fails unless the records are {@code expected} in some order (the same multiset). */
    public RunResult<T> assertRecordsInAnyOrder(List<?> expected) {
        List<String> a = new ArrayList<>();
        for (Object o : expected) {
            a.add(String.valueOf(o));
        }
        List<String> b = new ArrayList<>();
        for (Object o : records) {
            b.add(String.valueOf(o));
        }
        Collections.sort(a);
        Collections.sort(b);
        if (!a.equals(b)) {
            throw new AssertionError(
                    "records differ as multisets:\n expected " + abbreviate(a) + "\n but got  " + abbreviate(b));
        }
        return this;
    }

    /** Fails unless the stage named {@code name} counted {@code in} records in and {@code out} out. */
    public RunResult<T> assertStage(String name, long in, long out) {
        for (StageSummary st : summary.stages()) {
            if (st.name().equals(name)) {
                if (st.in() != in || st.out() != out) {
                    throw new AssertionError("stage '" + name + "': expected " + in + " in, " + out + " out; was "
                            + st.in() + " in, " + st.out() + " out");
                }
                return this;
            }
        }
        throw new AssertionError("no stage named '" + name + "' in " + summary.stages());
    }

    /** Fails unless exactly {@code n} records were rejected. */
    public RunResult<T> assertRejected(long n) {
        if (summary.rejected() != n) {
            throw new AssertionError("expected " + n + " rejected records, was " + summary.rejected() + ": "
                    + summary.firstRejections());
        }
        return this;
    }

    private static String abbreviate(List<?> l) {
        return l.size() <= 20 ? l.toString() : l.subList(0, 20) + " ... (" + l.size() + " in all)";
    }
}
