package dev.sluice.internal;

import dev.sluice.MemoryClass;
import java.io.Serializable;
import java.util.List;

/**
 * Internal, not part of the API. A node of a plan graph: an immutable, serializable description of one stage (its
 * kind, configuration, inputs, memory class and name). A source has no input, most stages one, and a merging stage
 * ({@code concat}, {@code union}, later {@code join}) several. The local runner turns each node into a {@link Downstream};
 * other runners translate nodes by type.
 */
public abstract class Stage implements Serializable, Cloneable {
    private static final long serialVersionUID = 1L;

    private final List<Stage> inputs;
    private final String kind;
    private String name;

    /** A stage with one input ({@code upstream}), or none if it is null; its kind is its first name. */
    protected Stage(Stage upstream, String name) {
        this(upstream == null ? List.of() : List.of(upstream), name, name);
    }

    /** A stage of kind {@code kind} reading {@code inputs}, in order. */
    protected Stage(List<Stage> inputs, String kind, String name) {
        this.inputs = List.copyOf(inputs);
        this.kind = kind;
        this.name = name;
    }

    /** The nodes this one reads, in order: none for a source. */
    public List<Stage> inputs() {
        return inputs;
    }

    /** The one input of a single-input stage; null for a source or a merging stage. */
    public Stage upstream() {
        return inputs.size() == 1 ? inputs.get(0) : null;
    }

    /** What the node does, e.g. {@code map}, {@code limit}, {@code concat}; names may differ, kinds do not. */
    public String kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    /** What {@code explain()} shows after the name, e.g. {@code limit(10)}; by default the kind. */
    public abstract String describe();

    public abstract MemoryClass memoryClass();

    /**
     * Whether copies of this stage's link may run on several threads at once, each on its own chunk of the input,
     * with the same result as one link over all of it: true for stateless stages (map, filter, flatMap, peek); false
     * (the default) for any stage that counts, holds or orders records.
     */
    public boolean parallelSafe() {
        return false;
    }

    /**
     * Whether this stage emits only once its input has ended (a sort, a group-by, a top-N), so it is refused on an
     * input that may be endless: by default, if it is blocking.
     */
    public boolean emitsAtEnd() {
        return memoryClass() == MemoryClass.BLOCKING;
    }

    /**
     * Whether input {@code i} must end for this stage to emit all it will: by default, for every input of a stage
     * that {@link #emitsAtEnd()}. A join needs its build (right) input to end, not its probe (left) one.
     */
    public boolean needsEnd(int input) {
        return emitsAtEnd();
    }

    /**
     * Whether a checkpointed run can save this stage's state: its run-time link is {@link Checkpointed}. Streaming
     * stages hold nothing between records and need not say so.
     */
    public boolean checkpointable() {
        return false;
    }

    /** Whether this stage acts on timers (e.g. a batch that closes after a wait), so runs must wake it. */
    public boolean timed() {
        return false;
    }

    /**
     * Whether this stage's output can be endless, given whether its inputs' can be: by default, if any input's can.
     * A {@code limit} bounds its output whatever its input.
     */
    public boolean unbounded(boolean anyInputUnbounded) {
        return anyInputUnbounded;
    }

    /** A copy of this node with another name. */
    public Stage withName(String newName) {
        try {
            Stage s = (Stage) clone();
            s.name = newName;
            return s;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /** Builds this stage's runtime link, which pushes its output into {@code down}. */
    public abstract Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run);
}
