package dev.sluice.internal.spill;

/**
 * Internal: how records of one class are written to spill pages and files and read back, for classes of this
 * library that know their own bytes best (a CSV row keeps its raw text). Registered through {@link
 * dev.sluice.internal.Hooks#spillCodec}.
 */
public interface SpillCodec<T> {
    void write(T record, Bytes out, RecordCodec codec);

    T read(Bytes.Reader in, RecordCodec codec);
}
