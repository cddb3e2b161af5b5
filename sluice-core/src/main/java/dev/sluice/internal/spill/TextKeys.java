package dev.sluice.internal.spill;

import dev.sluice.Row;

/**
 * Internal: how rows of one class append a text column to a sort or group key straight from their bytes, with no
 * {@code String} made (a CSV row's field). Registered through {@link dev.sluice.internal.Hooks#textKeys}.
 */
public interface TextKeys {
    /** Written: the field's bytes, escaped (a 00 byte as 00 FF), without the terminator. */
    int WRITTEN = 1;
    /** The value is null (absent, or empty when empty is null). */
    int NULL = 0;
    /** Not handled here (escaped, or maybe not ASCII): the caller reads the value instead. */
    int FALLBACK = -1;

    int append(Row row, int column, boolean emptyIsNull, Bytes out);
}
