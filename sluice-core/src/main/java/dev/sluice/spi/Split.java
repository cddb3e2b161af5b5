package dev.sluice.spi;

import java.io.Serializable;

/**
 * One part of a {@link SplittableSource}'s input, read on its own by {@link SplittableSource#openSplit}: a table's
 * key range, a file's byte range. A small, immutable, serializable value, so a runner can ship it to another thread,
 * process or machine; its {@code toString()} says what it covers (for errors and logs).
 */
public interface Split extends Serializable {}
