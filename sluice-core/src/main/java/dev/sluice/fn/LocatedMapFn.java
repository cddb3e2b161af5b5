package dev.sluice.fn;

import dev.sluice.Location;

/**
 * A {@link MapFn} that is also told where each record was read: {@code map} calls {@link #apply(Object, Location)}
 * with the record's file and line (null where the run cannot say), so that a row made from a line of text can carry
 * its origin (a log parser does: windows then keep a watermark per input file).
 */
public interface LocatedMapFn<T, R> extends MapFn<T, R> {
    /** The result for {@code t}, read from {@code origin} (null if unknown). */
    R apply(T t, Location origin) throws Exception;
}
