package dev.sluice.internal;

import dev.sluice.MemoryClass;
import java.io.Serializable;

/**
 * Internal, not part of the API. A node of a plan: an immutable, serializable description of one stage, linked to
 * its upstream. The local runner turns each node into a {@link Push}; other runners translate nodes by type.
 */
public abstract class Stage implements Serializable, Cloneable {
  private static final long serialVersionUID = 1L;

  private final Stage upstream;
  private String name;

  protected Stage(Stage upstream, String name) {
    this.upstream = upstream;
    this.name = name;
  }

  /** The upstream node, or null for a source. */
  public Stage upstream() {
    return upstream;
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

  /** Whether this stage acts on timers (e.g. a batch that closes after a wait), so runs must wake it. */
  public boolean timed() {
    return false;
  }

  /** Whether this stage can see an unbounded input without running out of memory. */
  public boolean acceptsUnbounded() {
    return memoryClass() != MemoryClass.BLOCKING;
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
  public abstract Push<Object> link(Push<Object> down, StageStats stats, RunState run);
}
