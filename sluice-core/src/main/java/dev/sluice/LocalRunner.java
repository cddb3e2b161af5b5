package dev.sluice;

import dev.sluice.internal.LocalExecution;
import java.util.Objects;

/**
 * Runs plans on this machine, on the calling thread and, for a plan made {@link Flow#parallel parallel}, on worker
 * threads. The default runner: {@link Pipeline#run()} is {@code pipeline.run(LocalRunner.get())}.
 */
public final class LocalRunner implements Runner {
  private static final LocalRunner INSTANCE = new LocalRunner(Clock.system());

  private final Clock clock;

  private LocalRunner(Clock clock) {
    this.clock = clock;
  }

  /** The local runner, its timers on the system clock. */
  public static LocalRunner get() {
    return INSTANCE;
  }

  /** This runner with its timers on {@code clock} (e.g. a {@link VirtualClock} in tests). */
  public LocalRunner withClock(Clock clock) {
    return new LocalRunner(Objects.requireNonNull(clock, "clock"));
  }

  /** The clock its timers follow. */
  public Clock clock() {
    return clock;
  }

  @Override
  public RunSummary run(Plan plan, RunListener listener) {
    Objects.requireNonNull(plan, "plan");
    if (plan.sink() == null) {
      throw new IllegalArgumentException("the plan has no sink: give it one with Flow.to(sink), or iterate it");
    }
    return LocalExecution.run(plan.tail(), plan.errorPolicy(), plan.sink(), null, listener, plan.parallelism(),
        clock);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> CloseableIterator<T> iterate(Plan plan) {
    Objects.requireNonNull(plan, "plan");
    if (plan.sink() != null) {
      throw new IllegalArgumentException("the plan writes to " + plan.sink().name() + "; run it instead");
    }
    return (CloseableIterator<T>) LocalExecution.iterator(plan.tail(), plan.errorPolicy(), clock);
  }

  @Override
  public String toString() {
    return "local";
  }
}
