package dev.sluice;

import dev.sluice.internal.LocalExecution;
import java.util.Objects;

/**
 * Runs plans on this machine, on the calling thread and, for a plan made {@link Flow#parallel parallel}, on worker
 * threads. The default runner: {@link Pipeline#run()} is {@code pipeline.run(LocalRunner.get())}.
 */
public final class LocalRunner implements Runner {
  private static final LocalRunner INSTANCE = new LocalRunner();

  private LocalRunner() {}

  /** The local runner. */
  public static LocalRunner get() {
    return INSTANCE;
  }

  @Override
  public RunSummary run(Plan plan, RunListener listener) {
    Objects.requireNonNull(plan, "plan");
    if (plan.sink() == null) {
      throw new IllegalArgumentException("the plan has no sink: give it one with Flow.to(sink), or iterate it");
    }
    return LocalExecution.run(plan.tail(), plan.errorPolicy(), plan.sink(), null, listener, plan.parallelism());
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> CloseableIterator<T> iterate(Plan plan) {
    Objects.requireNonNull(plan, "plan");
    if (plan.sink() != null) {
      throw new IllegalArgumentException("the plan writes to " + plan.sink().name() + "; run it instead");
    }
    return (CloseableIterator<T>) LocalExecution.iterator(plan.tail(), plan.errorPolicy());
  }

  @Override
  public String toString() {
    return "local";
  }
}
