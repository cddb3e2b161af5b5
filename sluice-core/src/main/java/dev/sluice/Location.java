package dev.sluice;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where a record came from: the source (a file name, a table), the 1-based line its text starts on, its 1-based
 * record number in that source and the byte offset it starts at (each -1 where unknown). Used in error messages
 * and dead letters.
 */
public final class Location implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long line;
    private final long record;
    private final long byteOffset;

    public Location(String source, long line, long record) {
        this(source, line, record, -1);
    }

    /** A location with the byte offset where the record starts in the (decompressed) input, or -1. */
    public Location(String source, long line, long record, long byteOffset) {
        this.source = Objects.requireNonNull(source, "source");
        this.line = line;
        this.record = record;
        this.byteOffset = byteOffset;
    }

    /**
     * The offset of the record's first byte in the input, or -1 if unknown. For gzip input it counts decompressed
     * bytes; for charsets that are not ASCII-compatible (UTF-16, ...) it counts bytes of the UTF-8 transcoding.
     */
    public long byteOffset() {
        return byteOffset;
    }

    /** The source's name, e.g. the file name. */
    public String source() {
        return source;
    }

    /** The 1-based line the record starts on, or -1 if the source has no lines. */
    public long line() {
        return line;
    }

    /** The 1-based record number within the source (data records, header excluded), or -1 if unknown. */
    public long record() {
        return record;
    }

    /** {@code parking.csv line 1,043} or {@code numbers record 12}. */
    @Override
    public String toString() {
        if (line >= 0) {
            return String.format(java.util.Locale.ROOT, "%s line %,d", source, line);
        }
        if (record >= 0) {
            return String.format(java.util.Locale.ROOT, "%s record %,d", source, record);
        }
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Location
                && ((Location) o).source.equals(source)
                && ((Location) o).line == line
                && ((Location) o).record == record
                && ((Location) o).byteOffset == byteOffset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, line, record, byteOffset);
    }
}
