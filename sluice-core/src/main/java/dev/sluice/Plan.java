package dev.sluice;

import dev.sluice.internal.SourceStage;
import dev.sluice.internal.Stage;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a {@link Flow} or {@link Pipeline} describes, as one immutable, serializable value a {@link Runner} runs:
 * the source, the stages in order, the error policy, the sink (none for a plan that is pulled) and the parallelism
 * asked for. Building one runs nothing.
 */
public final class Plan implements Serializable {
  private static final long serialVersionUID = 1L;

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

  /** The source read. */
  public Source<?> source() {
    Stage s = tail;
    while (s.upstream() != null) {
      s = s.upstream();
    }
    return ((SourceStage) s).source();
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

  /** The stages' names, source first. */
  public List<String> stageNames() {
    List<String> names = new ArrayList<>();
    for (Stage s = tail; s != null; s = s.upstream()) {
      names.add(0, s.name());
    }
    return names;
  }

  /** A readable description: each stage with its name and memory class, the sink, the policy. */
  public String explain() {
    List<String[]> rows = new ArrayList<>();
    for (Stage s = tail; s != null; s = s.upstream()) {
      rows.add(0, new String[] {s.name(), s.memoryClass().toString(), s.describe()});
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
