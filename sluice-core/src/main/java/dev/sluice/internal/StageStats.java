package dev.sluice.internal;

import dev.sluice.MemoryClass;
import dev.sluice.StageSummary;

/** Internal: one stage's counters during a run. Written by the running thread, read racily for progress. */
public final class StageStats {
  public final String name;
  public final MemoryClass memoryClass;
  /** 0 for the source, then 1, 2, ... downstream. */
  public final int position;
  public long in;
  public long out;
  public long rejected;

  public StageStats(String name, MemoryClass memoryClass, int position) {
    this.name = name;
    this.position = position;
    this.memoryClass = memoryClass;
  }

  public StageSummary summary() {
    return new StageSummary(name, memoryClass, in, out, rejected);
  }
}
