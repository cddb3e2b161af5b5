package dev.sluice;

import dev.sluice.internal.LocalRunner;
import dev.sluice.internal.SourceStage;
import dev.sluice.internal.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A complete plan: a {@link Flow} and the {@link Sink} it writes to. Building it runs nothing; {@link #run()} does,
 * and may be called again for another run.
 */
public final class Pipeline {
  private final Stage tail;
  private final ErrorPolicy policy;
  private final Sink<?> sink;
  private final int parallelism;

  Pipeline(Stage tail, ErrorPolicy policy, Sink<?> sink, int parallelism) {
    this.tail = tail;
    this.policy = policy;
    this.sink = sink;
    this.parallelism = parallelism;
  }

  /** Runs the pipeline on this machine and reports what it did. */
  public RunSummary run() {
    return run(null);
  }

  /** Runs the pipeline, telling {@code listener} when it starts and ends (e.g. to show progress). */
  public RunSummary run(RunListener listener) {
    return LocalRunner.run(tail, policy, sink, null, listener, parallelism);
  }

  /** A readable description of the plan: each stage with its name and memory class. */
  public String explain() {
    return explain(tail, policy, sink, parallelism);
  }

  static String explain(Stage tail, ErrorPolicy policy, Sink<?> sink, int parallelism) {
    List<String[]> rows = new ArrayList<>();
    for (Stage s = tail; s != null; s = s.upstream()) {
      String kind = s instanceof SourceStage ? s.describe() : s.describe();
      rows.add(0, new String[] {s.name(), s.memoryClass().toString(), kind});
    }
    if (sink != null) {
      rows.add(new String[] {sink.name(), MemoryClass.STREAMING.toString(), "sink"});
    }
    int w = 0;
    for (String[] r : rows) {
      w = Math.max(w, r[0].length());
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rows.size(); i++) {
      String[] r = rows.get(i);
      sb.append(i == 0 ? "   " : "-> ")
          .append(String.format(Locale.ROOT, "%-" + w + "s  %-9s  %s", r[0], r[1], r[2]).stripTrailing())
          .append('\n');
    }
    sb.append("error policy: ").append(policy);
    if (parallelism > 1) {
      sb.append("\nparallel: ").append(parallelism).append(" threads");
      sb.append(dev.sluice.internal.ParallelRunner.eligible(tail)
          ? " (stateless stages after the source run on workers)" : " requested, but the source cannot be split: sequential");
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return explain();
  }
}
