package dev.sluice;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.Objects;

/**
 * How records of one type are written as bytes and read back, for the blocking stages that hold or spill them (a
 * sort, a top-N, a distinct). Give one to a flow with {@link Flow#codec(Codec)}; the stages after it use it for
 * records of its type. Without one, records are encoded by what they are: rows as their values (CSV rows as their
 * raw text), Java records by their components (each component by value, records nested), strings and numbers
 * directly, and anything else by Java serialization, so a type that is neither a record nor {@link Serializable}
 * needs a codec:
 *
 * <pre>{@code
 * Codec<Point> points = Codec.of(Point.class,
 *     (p, out) -> { out.writeDouble(p.x()); out.writeDouble(p.y()); },
 *     in -> new Point(in.readDouble(), in.readDouble()));
 * flow.codec(points).sortBy(byDistance).forEach(...);
 * }</pre>
 *
 * A codec must read back a record equal to the one written, and be serializable to ship with the plan.
 *
 * @param <T> the records' type
 */
public interface Codec<T> extends Serializable {
    /** The type this codec writes: records that are instances of it. */
    Class<T> type();

    void write(T record, DataOutput out) throws IOException;

    T read(DataInput in) throws IOException;

    /** Writes a record; a serializable function, for {@link #of}. */
    @FunctionalInterface
    interface Writer<T> extends Serializable {
        void write(T record, DataOutput out) throws IOException;
    }

    /** Reads a record; a serializable function, for {@link #of}. */
    @FunctionalInterface
    interface Reader<T> extends Serializable {
        T read(DataInput in) throws IOException;
    }

    /** A codec from two functions. */
    static <T> Codec<T> of(Class<T> type, Writer<? super T> writer, Reader<? extends T> reader) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(writer, "writer");
        Objects.requireNonNull(reader, "reader");
        return new Codec<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public Class<T> type() {
                return type;
            }

            @Override
            public void write(T record, DataOutput out) throws IOException {
                writer.write(record, out);
            }

            @Override
            public T read(DataInput in) throws IOException {
                return reader.read(in);
            }

            @Override
            public String toString() {
                return "codec(" + type.getSimpleName() + ")";
            }
        };
    }
}
