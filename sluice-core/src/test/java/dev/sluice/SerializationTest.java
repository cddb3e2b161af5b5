package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.csv.Csv;
import dev.sluice.csv.CsvFormat;
import dev.sluice.json.JsonLines;
import dev.sluice.text.Text;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file source and sink survives Java serialization (as a plan sent to another runner's workers would) and
 * reads or writes exactly what the original does. Plans hold paths as strings, never {@link Path}s.
 */
class SerializationTest {
    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T o) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    private static List<String> texts(List<Row> rows) {
        return rows.stream().map(r -> r.values() + "@" + r.origin()).toList();
    }

    @Test
    void sourcesReadTheSameAfterARoundTrip() throws Exception {
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        Files.writeString(a, "x;y\n1;\"2;3\"\n");
        Files.writeString(b, "x;y\n4;5\n");
        CsvFormat semi = CsvFormat.DEFAULT.withDelimiter(';').withCharset(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (Source<Row> s : List.<Source<Row>>of(
                Csv.read(a).withFormat(semi), Csv.read(List.of(a, b)).withFormat(semi))) {
            assertEquals(
                    texts(Flow.from(s).toList()), texts(Flow.from(roundTrip(s)).toList()), s.name());
            assertEquals(s.inputFiles(), roundTrip(s).inputFiles());
        }
        Path j = dir.resolve("j.jsonl");
        Files.writeString(j, "{\"k\":\"v\"}\n{\"k\":null}\n");
        Source<Row> json = JsonLines.read(j);
        assertEquals(
                texts(Flow.from(json).toList()),
                texts(Flow.from(roundTrip(json)).toList()));
        Source<String> lines = Text.lines(a);
        assertEquals(Flow.from(lines).toList(), Flow.from(roundTrip(lines)).toList());
        Source<String> follow = dev.sluice.logs.Follow.files(
                        dir.resolve("*.csv").toString())
                .withMaxLineBytes(64)
                .once();
        assertEquals(
                Flow.from(follow).toList().stream().sorted().toList(),
                Flow.from(roundTrip(follow)).toList().stream().sorted().toList());
        assertEquals(
                "tcp(127.0.0.1:5140)",
                roundTrip(dev.sluice.logs.Tcp.listen(5140)).name());
        // a parser and a window stage travel in a plan too
        Path log = dir.resolve("access.log");
        Files.writeString(
                log,
                "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"t\"\n"
                        + "1.2.3.4 - - [17/May/2015:10:06:03 +0000] \"GET / HTTP/1.1\" 404 5 \"-\" \"t\"\n");
        Flow<Row> windows = Flow.from(Text.lines(log))
                .map(dev.sluice.logs.Logs.combined())
                .window(Window.tumbling(java.time.Duration.ofMinutes(1)).on("time"))
                .groupBy("status")
                .aggregate(Agg.count());
        List<Row> again = new java.util.ArrayList<>();
        try (CloseableIterator<Row> it = LocalRunner.get().iterate(roundTrip(windows.plan()))) {
            it.forEachRemaining(again::add);
        }
        assertEquals(texts(windows.toList()), texts(again));
        assertEquals(2, again.size());
    }

    @Test
    void sinksWriteTheSameAfterARoundTrip() throws Exception {
        Path in = dir.resolve("in.csv");
        Files.writeString(in, "a,b\n1,\"x,y\"\n2,\n");
        List<Sink<Row>> sinks = List.of(
                Csv.write(dir.resolve("one.csv")),
                Csv.write(dir.resolve("one.tsv")).withFormat(CsvFormat.DEFAULT.withDelimiter('\t')),
                JsonLines.write(dir.resolve("one.jsonl.gz")));
        for (Sink<Row> s : sinks) {
            Path target = s.output().file();
            Flow.from(Csv.read(in)).to(s).run();
            byte[] first = Files.readAllBytes(target);
            Files.delete(target);
            Flow.from(Csv.read(in)).to(roundTrip(s)).run();
            assertArrayEquals(first, Files.readAllBytes(target), s.name());
        }
        Sink<Object> text = Text.write(dir.resolve("lines.txt"));
        Flow.from(Text.lines(in)).to(roundTrip(text)).run();
        assertEquals(Files.readString(in).replace("\r\n", "\n"), Files.readString(dir.resolve("lines.txt")));
        Path dead = dir.resolve("dead.csv");
        ErrorPolicy policy = roundTrip(ErrorPolicy.deadLetter(dead));
        Files.writeString(in, "a,b\n1,2\n3\n");
        Flow.from(Csv.read(in))
                .onError(policy)
                .to(roundTrip(Sinks.<Row>discard()))
                .run();
        assertEquals(2, Files.readAllLines(dead).size(), "the dead-letter file has its header and the ragged record");
    }
}
