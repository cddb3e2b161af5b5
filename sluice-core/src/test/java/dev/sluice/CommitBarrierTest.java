package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.csv.Csv;
import dev.sluice.json.JsonLines;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit barrier of file sinks: prepare makes the output durable but leaves the target; commit renames it. */
class CommitBarrierTest {
    @TempDir
    Path dir;

    private List<Path> parts() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
    }

    @Test
    void prepareLeavesTheTargetCommitReplacesItAndIsIdempotent() throws Exception {
        for (Sink<Row> sink :
                List.<Sink<Row>>of(Csv.write(dir.resolve("o.csv")), JsonLines.write(dir.resolve("o.jsonl")))) {
            Path target = sink.output().file();
            Files.writeString(target, "OLD\n");
            SinkWriter<Row> w = sink.open();
            w.write(Row.of("a", "1"));
            w.write(Row.of("a", "2"));
            Serializable token = SerializationTest.roundTrip(w.prepare());
            assertEquals("OLD\n", Files.readString(target), "prepared, not visible");
            assertEquals(1, parts().size(), "durable under its temporary name");
            w.commit(token);
            w.commit(token); // a restarted run may commit again
            w.close(true);
            assertTrue(Files.readString(target).contains("2"), Files.readString(target));
            assertEquals(List.of(), parts());
        }
    }

    @Test
    void abortAndAnUncommittedCloseLeaveTheOldFile() throws Exception {
        Path target = dir.resolve("o.csv");
        Files.writeString(target, "OLD\n");
        SinkWriter<Row> w = Csv.write(target).open();
        w.write(Row.of("a", "1"));
        Serializable token = w.prepare();
        w.abort(token);
        w.close(false);
        assertEquals("OLD\n", Files.readString(target));
        SinkWriter<Row> w2 = Csv.write(target).open();
        w2.write(Row.of("a", "1"));
        w2.prepare();
        w2.close(true); // prepared but never committed: the prepared file is dropped
        assertEquals("OLD\n", Files.readString(target));
        assertEquals(List.of(), parts());
        assertFalse(Files.exists(dir.resolve("never")));
    }
}
