package dev.sluice.internal;

import dev.sluice.MemoryClass;
import dev.sluice.Source;

/** Internal: the plan node that reads a {@link Source}. */
public final class SourceStage extends Stage {
    private static final long serialVersionUID = 1L;
    private final Source<?> source;

    public SourceStage(Source<?> source) {
        super(java.util.List.of(), "source", source.name());
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
    public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
        return new Downstream.Counting(down, stats);
    }
}
