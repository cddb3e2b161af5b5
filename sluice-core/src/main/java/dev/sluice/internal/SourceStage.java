package dev.sluice.internal;

import dev.sluice.MemoryClass;
import dev.sluice.Source;

/** Internal: the plan node that reads a {@link Source}. */
public final class SourceStage extends Stage {
  private static final long serialVersionUID = 1L;
  private final Source<?> source;

  public SourceStage(Source<?> source) {
    super(null, source.name());
    this.source = source;
  }

  public Source<?> source() {
    return source;
  }

  @Override
  public String describe() {
    return source.bounded() ? "source" : "source, may be endless";
  }

  @Override
  public MemoryClass memoryClass() {
    return MemoryClass.STREAMING;
  }

  /** Counts what the source produces and passes it on. */
  @Override
  public Push<Object> link(Push<Object> down, StageStats stats, RunState run) {
    return new SourceLink(down, stats);
  }

  /** The runtime link: counts what the source produces. */
  static final class SourceLink extends Push.Link {
    private final StageStats stats;

    SourceLink(Push<Object> down, StageStats stats) {
      super(down);
      this.stats = stats;
    }

    @Override
    public void push(Object t) {
      stats.in++;
      stats.out++;
      down.push(t);
    }
  }
}
