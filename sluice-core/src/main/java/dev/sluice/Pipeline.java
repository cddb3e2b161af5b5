package dev.sluice;

import dev.sluice.internal.Stage;

/**
 * A {@link Flow} and the {@link Sink} it writes to. Building it runs nothing; {@link #run()} does, on the {@link
 * LocalRunner}, and may be called again for another run; {@link #run(Runner)} runs it on another runner.
 */
public final class Pipeline {
    private final Plan plan;

    Pipeline(Stage tail, ErrorPolicy policy, Sink<?> sink, int parallelism) {
        this.plan = new Plan(tail, policy, sink, parallelism);
    }

    /**
     * This pipeline writing to {@code another} sink as well, in the same pass: every record goes to each sink, in
     * order. On success the sinks that have a commit barrier (files, a replacing table load) are all made durable
     * before any is made visible, so one that fails leaves the others' targets as they were.
     */
    public Pipeline and(Sink<?> another) {
        java.util.Objects.requireNonNull(another, "sink");
        return new Pipeline(
                plan.tail(),
                plan.errorPolicy(),
                dev.sluice.internal.TeeSink.of(plan.sink(), another),
                plan.parallelism());
    }

    /** The plan: what a runner runs. */
    public Plan plan() {
        return plan;
    }

    /** Runs the pipeline on this machine and reports what it did. */
    public RunSummary run() {
        return run((RunListener) null);
    }

    /** Runs the pipeline, telling {@code listener} when it starts and ends (e.g. to show progress). */
    public RunSummary run(RunListener listener) {
        return LocalRunner.get().run(plan, listener);
    }

    /** Runs the pipeline on {@code runner}. */
    public RunSummary run(Runner runner) {
        return run(runner, null);
    }

    /** Runs the pipeline on {@code runner}, telling {@code listener} when it starts and ends. */
    public RunSummary run(Runner runner, RunListener listener) {
        return java.util.Objects.requireNonNull(runner, "runner").run(plan, listener);
    }

    /** A readable description of the plan: each stage with its name and memory class. */
    public String explain() {
        return plan.explain();
    }

    @Override
    public String toString() {
        return explain();
    }
}
