package dev.sluice.flink;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;

/**
 * Records that must wait (a later part of a parallel read, the second input of a concat), in a file of Flink's
 * temporary directories, written with the records' own serializer: memory stays flat however many wait. Replayed
 * once, in the order written; the file is removed then, or when the spool is discarded.
 */
final class Spool {
    private final Path file;
    private final DataOutputViewStreamWrapper out;
    private long records;

    Spool(File dir, String prefix) throws IOException {
        this.file = Files.createTempFile(dir.toPath(), prefix, ".bin");
        this.out = new DataOutputViewStreamWrapper(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    }

    /** A temporary directory of the operator's TaskManager. */
    static File dir(org.apache.flink.streaming.api.operators.AbstractStreamOperator<?> op) {
        return op.getContainingTask().getEnvironment().getIOManager().getSpillingDirectories()[0];
    }

    void add(Object record) throws IOException {
        RecordSerializer.INSTANCE.serialize(record, out);
        records++;
    }

    /** Hands every record to {@code to}, in the order added, and removes the file. */
    void replay(Consumer<Object> to) throws IOException {
        out.close();
        try (var in = new DataInputViewStreamWrapper(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            for (long i = 0; i < records; i++) {
                to.accept(RecordSerializer.INSTANCE.deserialize(in));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Removes the file without replaying it (a failed or cancelled job). */
    void discard() throws IOException {
        try {
            out.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
