package dev.sluice.internal;

import dev.sluice.MemoryClass;
import dev.sluice.fn.ConsumerFn;
import dev.sluice.fn.FilterFn;
import dev.sluice.fn.FlatMapFn;
import dev.sluice.fn.MapFn;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Internal, not part of the API. The built-in operator nodes. Each node holds only its configuration (so a plan
 * can be serialized or translated), and {@code link} builds the fused runtime link. A user function's exception
 * is handed to {@link RunState#reject}, which applies the run's error policy; the try block never covers the push
 * downstream, so a later stage's failure is not blamed on this one.
 */
public final class Ops {
  private Ops() {}

  /** {@code map(fn)}: one output per input. */
  public static final class MapStage extends Stage {
    private static final long serialVersionUID = 1L;
    public final MapFn<Object, Object> fn;

    @SuppressWarnings("unchecked")
    public MapStage(Stage up, MapFn<?, ?> fn) {
      super(up, "map");
      this.fn = (MapFn<Object, Object>) fn;
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
    public Push<Object> link(Push<Object> down, StageStats stats, RunState run) {
      MapFn<Object, Object> f = fn;
      return new Push.Link(down) {
        @Override
        public void push(Object t) {
          long n = ++stats.in;
          Object r;
          try {
            r = f.apply(t);
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

        @Override
        public void finish() {
          down.finish();
        }
      };
    }
  }

  /** {@code filter(fn)}: keeps the records for which the predicate holds. */
  public static final class FilterStage extends Stage {
    private static final long serialVersionUID = 1L;
    public final FilterFn<Object> fn;

    @SuppressWarnings("unchecked")
    public FilterStage(Stage up, FilterFn<?> fn) {
      super(up, "filter");
      this.fn = (FilterFn<Object>) fn;
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
    public Push<Object> link(Push<Object> down, StageStats stats, RunState run) {
      FilterFn<Object> f = fn;
      return new Push.Link(down) {
        @Override
        public void push(Object t) {
          long n = ++stats.in;
          boolean keep;
          try {
            keep = f.test(t);
          } catch (Exception e) {
            run.reject(stats, n, t, e);
            return;
          }
          if (keep) {
            stats.out++;
            down.push(t);
          }
        }

        @Override
        public void finish() {
          down.finish();
        }
      };
    }
  }

  /** {@code peek(fn)}: calls the function and passes the record on. */
  public static final class PeekStage extends Stage {
    private static final long serialVersionUID = 1L;
    public final ConsumerFn<Object> fn;

    @SuppressWarnings("unchecked")
    public PeekStage(Stage up, ConsumerFn<?> fn) {
      super(up, "peek");
      this.fn = (ConsumerFn<Object>) fn;
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
    public Push<Object> link(Push<Object> down, StageStats stats, RunState run) {
      ConsumerFn<Object> f = fn;
      return new Push.Link(down) {
        @Override
        public void push(Object t) {
          long n = ++stats.in;
          try {
            f.accept(t);
          } catch (Exception e) {
            run.reject(stats, n, t, e);
            return;
          }
          stats.out++;
          down.push(t);
        }

        @Override
        public void finish() {
          down.finish();
        }
      };
    }
  }

  /**
   * {@code flatMap(fn)}: zero or more outputs per input, streamed on one at a time. An iterator that is {@link
   * AutoCloseable} is closed when done or abandoned.
   */
  public static final class FlatMapStage extends Stage {
    private static final long serialVersionUID = 1L;
    public final FlatMapFn<Object, Object> fn;

    @SuppressWarnings("unchecked")
    public FlatMapStage(Stage up, FlatMapFn<?, ?> fn, String name) {
      super(up, name);
      this.fn = (FlatMapFn<Object, Object>) fn;
    }

    @Override
    public String describe() {
      return "flatMap";
    }

    @Override
    public MemoryClass memoryClass() {
      return MemoryClass.STREAMING;
    }

    @Override
    public Push<Object> link(Push<Object> down, StageStats stats, RunState run) {
      return new FlatMapLink(down, fn, stats, run);
    }
  }

  /**
   * The runtime link of {@code flatMap}: streams each input's outputs on one at a time; when downstream is full (a
   * pulled iterator has what it asked for) it keeps the rest pending until {@link #resume()}.
   */
  static final class FlatMapLink extends Push.Link {
    private final FlatMapFn<Object, Object> f;
    private final StageStats stats;
    private final RunState run;
    private Iterator<?> pending;
    private Object pendingIn;
    private long pendingN;
    private boolean finishAfter;

    FlatMapLink(Push<Object> down, FlatMapFn<Object, Object> f, StageStats stats, RunState run) {
      super(down);
      this.f = f;
      this.stats = stats;
      this.run = run;
    }

    @Override
    public void push(Object t) {
      long n = ++stats.in;
      Iterator<?> it;
      try {
        Iterable<?> out = f.apply(t);
        if (out == null) {
          throw new NullPointerException("the function returned null");
        }
        it = out.iterator();
      } catch (Exception e) {
        run.reject(stats, n, t, e);
        return;
      }
      drain(it, t, n);
    }

    /** Emits from {@code it} until it ends, the run stops, or downstream is full (then keeps it pending). */
    private void drain(Iterator<?> it, Object t, long n) {
      boolean completed = false;
      boolean kept = false;
      try {
        while (!run.dead(stats.position)) {
          if (down.full()) {
            pending = it;
            pendingIn = t;
            pendingN = n;
            kept = true;
            return;
          }
          Object r;
          try {
            if (!it.hasNext()) {
              break;
            }
            r = it.next();
            if (r == null) {
              throw new NullPointerException("the function's result holds a null");
            }
          } catch (Exception e) {
            run.reject(stats, n, t, e);
            return;
          }
          stats.out++;
          down.push(r);
        }
        completed = true;
      } finally {
        if (!kept) {
          close(it, completed, t, n);
        }
      }
    }

    private void close(Iterator<?> it, boolean completed, Object t, long n) {
      if (it instanceof AutoCloseable) {
        try {
          ((AutoCloseable) it).close();
        } catch (Exception e) {
          if (completed) { // otherwise an exception is in flight, or the record was already rejected
            run.reject(stats, n, t, e);
          }
        }
      }
    }

    @Override
    public boolean resume() {
      if (down.resume()) {
        return true;
      }
      if (pending == null) {
        return false;
      }
      Iterator<?> it = pending;
      pending = null;
      drain(it, pendingIn, pendingN);
      if (pending == null) {
        pendingIn = null;
        if (finishAfter) {
          finishAfter = false;
          down.finish();
        }
      }
      return true;
    }

    @Override
    public void finish() {
      if (pending != null) {
        finishAfter = true; // the driver resumes the rest, then the finish goes on
        return;
      }
      down.finish();
    }

    @Override
    public void abandon() {
      Iterator<?> it = pending;
      pending = null;
      if (it instanceof AutoCloseable) {
        try {
          ((AutoCloseable) it).close();
        } catch (Exception e) {
          // the run is being abandoned; its own outcome is what is reported
        }
      }
      down.abandon();
    }
  }

  /** {@code limit(n)}: the first n records, then stops the source. */
  public static final class LimitStage extends Stage {
    private static final long serialVersionUID = 1L;
    public final long limit;

    public LimitStage(Stage up, long limit) {
      super(up, "limit");
      this.limit = limit;
    }

    @Override
    public String describe() {
      return "limit(" + limit + ")";
    }

    @Override
    public MemoryClass memoryClass() {
      return MemoryClass.STREAMING;
    }

    @Override
    public Push<Object> link(Push<Object> down, StageStats stats, RunState run) {
      if (limit == 0) {
        run.stop(stats.position);
      }
      return new Push.Link(down) {
        @Override
        public void push(Object t) {
          stats.in++;
          if (stats.out < limit) {
            stats.out++;
            down.push(t);
            if (stats.out == limit) {
              run.stop(stats.position);
            }
          }
        }

        @Override
        public void finish() {
          down.finish();
        }
      };
    }
  }

  /** {@code skip(n)}: drops the first n records. */
  public static final class SkipStage extends Stage {
    private static final long serialVersionUID = 1L;
    public final long skip;

    public SkipStage(Stage up, long skip) {
      super(up, "skip");
      this.skip = skip;
    }

    @Override
    public String describe() {
      return "skip(" + skip + ")";
    }

    @Override
    public MemoryClass memoryClass() {
      return MemoryClass.STREAMING;
    }

    @Override
    public Push<Object> link(Push<Object> down, StageStats stats, RunState run) {
      return new Push.Link(down) {
        @Override
        public void push(Object t) {
          if (++stats.in > skip) {
            stats.out++;
            down.push(t);
          }
        }

        @Override
        public void finish() {
          down.finish();
        }
      };
    }
  }

  /** {@code batch(n)}: lists of n records, the last one partial; holds at most one batch. */
  public static final class BatchStage extends Stage {
    private static final long serialVersionUID = 1L;
    public final int size;

    public BatchStage(Stage up, int size) {
      super(up, "batch");
      this.size = size;
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
      return new Push.Link(down) {
        private List<Object> batch = new ArrayList<>(Math.min(size, 1024));

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
      };
    }
  }
}
