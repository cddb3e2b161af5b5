package dev.sluice;

import java.io.Serializable;

/**
 * Where records go: a CSV file, a table, a collection. Part of a plan; each run opens one {@link SinkWriter}.
 *
 * <p>Implementations: {@link dev.sluice.csv.Csv#write}, {@link Sinks}.
 */
public interface Sink<T> extends Serializable {
  /** Opens a writer for one run. */
  SinkWriter<T> open() throws Exception;

  /** A short name for {@code explain()} and error messages, e.g. {@code csv(out.csv)}. */
  String name();
}
