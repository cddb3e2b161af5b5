package dev.sluice.internal;

/**
 * Internal, not part of the API. One link of a fused operator chain: records are pushed in, one call per record,
 * and {@link #finish} is called once at the end of the input so bounded stages can flush.
 */
public abstract class Push<T> {
  public abstract void push(T t);

  public void finish() {}
}
