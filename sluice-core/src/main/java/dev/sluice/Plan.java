package dev.sluice;

import dev.sluice.internal.Graph;
import dev.sluice.internal.Stage;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link Flow} or {@link Pipeline} describes, as one immutable, serializable value a {@link Runner} runs:
 * the source, the stages in order, the error policy, the sink (none for a plan that is pulled) and the parallelism
 * asked for. Building one runs nothing.
 */
public final class Plan implements Serializable {
    private static final long serialVersionUID = 1L;

    static {
        dev.sluice.internal.Hooks.planTail(Plan::tail);
    }

    private final Stage tail;
    private final ErrorPolicy policy;
    private final Sink<?> sink;
    private final int parallelism;

    Plan(Stage tail, ErrorPolicy policy, Sink<?> sink, int parallelism) {
        this.tail = tail;
        this.policy = policy;
        this.sink = sink;
        this.parallelism = parallelism;
    }

    /** The plan's last stage; for runners in this package. */
    Stage tail() {
        return tail;
    }

    /** The sources read, in input order: one, unless the plan merges several flows. */
    public List<Source<?>> sources() {
        return Graph.sources(tail);
    }

    /** Whether the plan may run forever: it reads an endless source without a limit. */
    public boolean unbounded() {
        return Graph.unbounded(tail);
    }

    /** What runs do with bad records. */
    public ErrorPolicy errorPolicy() {
        return policy;
    }

    /** Where the output goes, or null for a plan that is pulled ({@link Runner#iterate}). */
    public Sink<?> sink() {
        return sink;
    }

    /** How many threads were asked for (1: sequential). */
    public int parallelism() {
        return parallelism;
    }

    /** The stages' names: each input's before the stage that merges them, sources first. */
    public List<String> stageNames() {
        List<String> names = new ArrayList<>();
        for (Stage s : Graph.nodes(tail)) {
            names.add(s.name());
        }
        return names;
    }

    /**
     * A readable description: each stage with its name, memory class and what it does, one per line, the sink last;
     * the inputs of a merging stage are indented above it. Then the error policy and the parallelism.
     */
    public String explain() {
        return explain(0, null, 0);
    }

    /**
     * {@link #explain()} with the memory a run will have: {@code memoryBytes} (0: the default), spilling under {@code
     * tempDir} (null: {@code java.io.tmpdir}), at most {@code maxSpill} bytes (0: no cap). See {@link
     * LocalRunner#explain(Plan)}.
     */
    String explain(long memoryBytes, String tempDir, long maxSpill) {
        StringBuilder sb = new StringBuilder(Graph.explain(tail, sink == null ? null : sink.name()));
        int blocking = 0;
        for (Stage s : Graph.nodes(tail)) {
            if (s.memoryClass() == MemoryClass.BLOCKING) {
                blocking++;
            }
        }
        if (blocking > 0) {
            long budget = memoryBytes > 0 ? memoryBytes : dev.sluice.internal.spill.MemoryBudget.defaultBytes();
            sb.append(String.format(
                    java.util.Locale.ROOT,
                    "memory: %s%s, %s%s; temporary files in %s%s%n",
                    dev.sluice.internal.spill.MemoryBudget.format(budget),
                    memoryBytes > 0 ? "" : " (the default: 40% of the heap, at most 1 GiB)",
                    blocking == 1 ? "for its one blocking stage" : "divided among " + blocking + " blocking stages: ",
                    blocking == 1 ? "" : dev.sluice.internal.spill.MemoryBudget.format(budget / blocking) + " each",
                    tempDir != null ? tempDir : System.getProperty("java.io.tmpdir"),
                    maxSpill > 0 ? ", at most " + dev.sluice.internal.spill.MemoryBudget.format(maxSpill) : ""));
        }
        sb.append("error policy: ").append(policy);
        if (parallelism > 1) {
            sb.append("\nparallel: ").append(parallelism).append(" threads");
            sb.append(
                    dev.sluice.internal.ParallelRunner.eligible(tail)
                            ? " (stateless stages after the source run on workers)"
                            : " requested, but the source cannot be split: sequential");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return explain();
    }
}
