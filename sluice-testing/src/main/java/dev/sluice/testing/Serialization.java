package dev.sluice.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;

/**
 * Java serialization round trips, for connector and pipeline tests: a plan, a source, a sink, a split or a position
 * must survive being shipped to another thread, process or machine and work the same there.
 */
public final class Serialization {
    private Serialization() {}

    /**
     * {@code value} written with Java serialization and read back: a copy. Fails with the path to the first field
     * that cannot be serialized.
     */
    @SuppressWarnings("unchecked")
    public static <T> T roundTrip(T value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw new AssertionError(value + " cannot be serialized: " + e.getMessage() + " is not serializable", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
