package dev.sluice.internal.op;

import dev.sluice.MemoryClass;
import dev.sluice.internal.Push;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;
import java.util.ArrayList;
import java.util.List;

/** {@code batch(n)}: lists of n records, the last one partial; holds at most one batch. */
public final class BatchStage extends Stage {
  private static final long serialVersionUID = 1L;
  private final int size;

  public BatchStage(Stage up, int size) {
    super(up, "batch");
    this.size = size;
  }

  /** Records a batch. */
  public int size() {
    return size;
  }

  @Override
  public String describe() {
    return "batch(" + size + ")";
  }

  @Override
  public MemoryClass memoryClass() {
    return MemoryClass.BOUNDED;
  }

  @Override
  public Push<Object> link(Push<Object> down, StageStats stats, RunState run) {
    return new BatchLink(down, size, stats, run);
  }

  /** The runtime link. */
  static final class BatchLink extends Push.Link {
    private final int size;
    private final StageStats stats;
    private final RunState run;
    private List<Object> batch;

    BatchLink(Push<Object> down, int size, StageStats stats, RunState run) {
      super(down);
      this.size = size;
      this.stats = stats;
      this.run = run;
      this.batch = new ArrayList<>(Math.min(size, 1024));
    }

    @Override
    public void push(Object t) {
      stats.in++;
      batch.add(t);
      if (batch.size() == size) {
        emit();
      }
    }

    private void emit() {
      List<Object> full = batch;
      batch = new ArrayList<>(Math.min(size, 1024));
      stats.out++;
      down.push(full);
    }

    @Override
    public void finish() {
      if (!batch.isEmpty() && !run.dead(stats.position)) {
        emit(); // a partial batch, unless a limit downstream has already been satisfied
      }
      down.finish();
    }
  }
}
