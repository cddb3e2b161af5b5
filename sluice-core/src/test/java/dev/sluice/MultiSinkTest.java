package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.csv.Csv;
import dev.sluice.json.JsonLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One pass, several sinks: every record to each; all made durable before any is made visible. */
class MultiSinkTest {
    @TempDir
    Path dir;

    private Path input(int rows) throws Exception {
        StringBuilder sb = new StringBuilder("id,v\n");
        for (int i = 0; i < rows; i++) {
            sb.append(i).append(",\"x,").append(i).append("\"\n");
        }
        Path in = dir.resolve("in.csv");
        Files.writeString(in, sb.toString());
        return in;
    }

    @Test
    void everyRecordGoesToEachSinkInOnePass() throws Exception {
        Path in = input(5000);
        for (int threads : new int[] {1, 2}) {
            Path csv = dir.resolve("a" + threads + ".csv");
            Path json = dir.resolve("b" + threads + ".jsonl");
            List<Row> kept = new ArrayList<>();
            RunSummary s = Flow.from(Csv.read(in))
                    .filter(r -> !r.get("id").endsWith("3"))
                    .parallel(threads)
                    .to(Csv.write(csv))
                    .and(JsonLines.write(json))
                    .and(Sinks.collect(kept))
                    .run();
            assertEquals(4500, s.recordsOut());
            assertEquals(
                    "csv(a" + threads + ".csv) + jsonl(b" + threads + ".jsonl) + collect",
                    s.stages().get(s.stages().size() - 1).name());
            assertEquals(4501, Files.readAllLines(csv).size());
            assertEquals(4500, Files.readAllLines(json).size());
            assertEquals(4500, kept.size());
        }
        assertEquals(Files.readString(dir.resolve("a1.csv")), Files.readString(dir.resolve("a2.csv")));
    }

    @Test
    void theSameFileTwiceIsRefusedAndAFailedRunLeavesEveryTarget() throws Exception {
        Path in = input(100);
        Path out = dir.resolve("o.csv");
        SluiceException e = assertThrows(
                SluiceException.class,
                () -> Flow.from(Csv.read(in))
                        .to(Csv.write(out))
                        .and(Csv.write(dir.resolve("./o.csv")))
                        .run());
        assertTrue(e.getMessage().contains("is also another output"), e.getMessage());
        Files.writeString(out, "OLD\n");
        Path other = dir.resolve("p.jsonl");
        assertThrows(
                RuntimeException.class,
                () -> Flow.from(Csv.read(in))
                        .map(r -> {
                            if (r.get("id").equals("50")) {
                                throw new IllegalStateException("boom");
                            }
                            return r;
                        })
                        .to(Csv.write(out))
                        .and(JsonLines.write(other))
                        .run());
        assertEquals("OLD\n", Files.readString(out));
        assertFalse(Files.exists(other));
    }

    @Test
    void aSinkFailingAtTheEndKeepsTheOthersFromBeingCommitted() throws Exception {
        Path in = input(10);
        Path out = dir.resolve("o.csv");
        Files.writeString(out, "OLD\n");
        Sink<Row> failsAtPrepare = new Sink<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public SinkWriter<Row> open() {
                return new SinkWriter<>() {
                    @Override
                    public void write(Row record) {}

                    @Override
                    public java.io.Serializable prepare() {
                        throw new IllegalStateException("the service refused the batch");
                    }

                    @Override
                    public void close(boolean success) {}
                };
            }

            @Override
            public String name() {
                return "refusing";
            }
        };
        RuntimeException e = assertThrows(
                RuntimeException.class,
                () -> Flow.from(Csv.read(in))
                        .to(Csv.write(out))
                        .and(failsAtPrepare)
                        .run());
        assertTrue(String.valueOf(e.getMessage()).contains("refused"), String.valueOf(e));
        assertEquals("OLD\n", Files.readString(out), "prepared, never committed");
        try (var s = Files.list(dir)) {
            assertEquals(
                    List.of(), s.filter(p -> p.toString().endsWith(".part")).toList());
        }
    }
}
