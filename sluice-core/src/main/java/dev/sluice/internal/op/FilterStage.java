package dev.sluice.internal.op;

import dev.sluice.MemoryClass;
import dev.sluice.fn.FilterFn;
import dev.sluice.internal.Push;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;

/** {@code filter(fn)}: keeps the records for which the predicate holds. */
public final class FilterStage extends Stage {
  private static final long serialVersionUID = 1L;
  private final FilterFn<Object> fn;

  @SuppressWarnings("unchecked")
  public FilterStage(Stage up, FilterFn<?> fn) {
    super(up, "filter");
    this.fn = (FilterFn<Object>) fn;
  }

  /** The predicate. */
  public FilterFn<Object> fn() {
    return fn;
  }

  @Override
  public String describe() {
    return "filter";
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
    return new FilterLink(down, fn, stats, run);
  }

  /** The runtime link. */
  static final class FilterLink extends Push.Link {
    private final FilterFn<Object> fn;
    private final StageStats stats;
    private final RunState run;

    FilterLink(Push<Object> down, FilterFn<Object> fn, StageStats stats, RunState run) {
      super(down);
      this.fn = fn;
      this.stats = stats;
      this.run = run;
    }

    @Override
    public void push(Object t) {
      long n = ++stats.in;
      boolean keep;
      try {
        keep = fn.test(t);
      } catch (Exception e) {
        run.reject(stats, n, t, e);
        return;
      }
      if (keep) {
        stats.out++;
        down.push(t);
      }
    }
  }
}
