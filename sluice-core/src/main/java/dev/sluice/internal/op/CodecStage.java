package dev.sluice.internal.op;

import dev.sluice.Codec;
import dev.sluice.MemoryClass;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;
import java.util.List;

/**
 * {@code flow.codec(c)}: records pass through unchanged; the node carries the codec that the run's blocking stages use
 * for records of its type (and that other runners use to serialize them).
 */
public final class CodecStage extends Stage {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // a Codec is Serializable
    private final Codec<?> codec;

    public CodecStage(Stage up, Codec<?> codec) {
        super(List.of(up), "codec", "codec");
        this.codec = codec;
    }

    public Codec<?> codec() {
        return codec;
    }

    @Override
    public String describe() {
        return "records of " + codec.type().getName() + " written by " + codec;
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
    public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
        return new Downstream.Counting(down, stats);
    }
}
