package dev.sluice.internal.op;

import dev.sluice.MemoryClass;
import dev.sluice.fn.MapFn;
import dev.sluice.internal.Push;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;

/** {@code map(fn)}: one output per input. */
public final class MapStage extends Stage {
  private static final long serialVersionUID = 1L;
  private final MapFn<Object, Object> fn;

  @SuppressWarnings("unchecked")
  public MapStage(Stage up, MapFn<?, ?> fn) {
    super(up, "map");
    this.fn = (MapFn<Object, Object>) fn;
  }

  /** The function. */
  public MapFn<Object, Object> fn() {
    return fn;
  }

  @Override
  public String describe() {
    return "map";
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
    return new MapLink(down, fn, stats, run);
  }

  /** The runtime link. */
  static final class MapLink extends Push.Link {
    private final MapFn<Object, Object> fn;
    private final StageStats stats;
    private final RunState run;

    MapLink(Push<Object> down, MapFn<Object, Object> fn, StageStats stats, RunState run) {
      super(down);
      this.fn = fn;
      this.stats = stats;
      this.run = run;
    }

    @Override
    public void push(Object t) {
      long n = ++stats.in;
      Object r;
      try {
        r = fn.apply(t);
      } catch (Exception e) {
        run.reject(stats, n, t, e);
        return;
      }
      if (r == null) {
        run.reject(stats, n, t, new NullPointerException("the function returned null"));
        return;
      }
      stats.out++;
      down.push(r);
    }
  }
}
