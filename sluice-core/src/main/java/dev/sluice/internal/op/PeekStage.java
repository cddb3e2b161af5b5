package dev.sluice.internal.op;

import dev.sluice.MemoryClass;
import dev.sluice.fn.ConsumerFn;
import dev.sluice.internal.Push;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;

/** {@code peek(fn)}: calls the function and passes the record on. */
public final class PeekStage extends Stage {
  private static final long serialVersionUID = 1L;
  private final ConsumerFn<Object> fn;

  @SuppressWarnings("unchecked")
  public PeekStage(Stage up, ConsumerFn<?> fn) {
    super(up, "peek");
    this.fn = (ConsumerFn<Object>) fn;
  }

  /** The action. */
  public ConsumerFn<Object> fn() {
    return fn;
  }

  @Override
  public String describe() {
    return "peek";
  }

  @Override
  public MemoryClass memoryClass() {
    return MemoryClass.STREAMING;
  }

  @Override
  public boolean parallelSafe() {
    return true;
  }

  @Override
  public Push<Object> link(Push<Object> down, StageStats stats, RunState run) {
    return new PeekLink(down, fn, stats, run);
  }

  /** The runtime link. */
  static final class PeekLink extends Push.Link {
    private final ConsumerFn<Object> fn;
    private final StageStats stats;
    private final RunState run;

    PeekLink(Push<Object> down, ConsumerFn<Object> fn, StageStats stats, RunState run) {
      super(down);
      this.fn = fn;
      this.stats = stats;
      this.run = run;
    }

    @Override
    public void push(Object t) {
      long n = ++stats.in;
      try {
        fn.accept(t);
      } catch (Exception e) {
        run.reject(stats, n, t, e);
        return;
      }
      stats.out++;
      down.push(t);
    }
  }
}
