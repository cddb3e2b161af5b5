package dev.sluice;

import java.io.Serializable;

/**
 * Where records come from: a file, a table, a generator. A source is part of a plan and opens nothing until a run
 * starts; each run opens one {@link SourceReader} and closes it exactly once.
 *
 * <p>Implementations: {@link Flow#from(Iterable)} and friends, {@link dev.sluice.csv.Csv#read}, {@link
 * dev.sluice.text.Text#lines}.
 */
public interface Source<T> extends Serializable {
  /** Opens a reader for one run. Called once per run, on the thread that runs the pipeline. */
  SourceReader<T> open(SourceContext context) throws Exception;

  /** A short name for {@code explain()} and error messages, e.g. {@code csv(parking.csv)}. */
  String name();

  /** Whether the source ends by itself. Endless sources (generators, streams) return false. */
  default boolean bounded() {
    return true;
  }

  /**
   * The files this source reads, if any (default none). A run checks them before it starts and refuses to write
   * any of them.
   */
  default java.util.List<java.nio.file.Path> inputFiles() {
    return java.util.List.of();
  }
}
