package dev.sluice;

import java.io.Serializable;

/**
 * A user-defined aggregate with a mergeable accumulator, for {@link Agg#of}: {@code create} an empty accumulator,
 * {@code add} a row to one, {@code merge} two (partial results of the same group, from parts of the input held or
 * spilled apart), and turn one into the {@code result}. Accumulators must be serializable values (a record, a
 * number, a string): a group-by spills them when its groups outgrow memory. Keep them small: a group's accumulator
 * is counted against the memory budget by its serialized size when the group is made.
 *
 * <pre>{@code
 * Aggregator<long[]> maxLength = new Aggregator<>() {
 *   public long[] create() { return new long[1]; }
 *   public long[] add(long[] a, Row r) { a[0] = Math.max(a[0], r.get("Street Name").length()); return a; }
 *   public long[] merge(long[] a, long[] b) { a[0] = Math.max(a[0], b[0]); return a; }
 *   public Object result(long[] a) { return a[0]; }
 * };
 * }</pre>
 *
 * @param <A> the accumulator's type
 */
public interface Aggregator<A> extends Serializable {
    A create();

    A add(A accumulator, Row row);

    A merge(A a, A b);

    Object result(A accumulator);
}
