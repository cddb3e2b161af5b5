package dev.sluice.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Location;
import dev.sluice.Row;
import dev.sluice.SourceContext;
import dev.sluice.SourceReader;
import dev.sluice.spi.SplitHint;
import dev.sluice.testdata.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact byte-range splits of CSV files (what the Flink runner hands its readers): reading every split in order gives
 * exactly a sequential read: the same rows, with the same lines and record numbers, and the same rejections.
 */
class CsvSplitsTest {
    @TempDir
    Path tmp;

    /** What a read gives: each row's fields and location, and each rejection's location and reason. */
    private static List<String> read(CsvSource source, boolean split, long target) throws Exception {
        List<String> out = new ArrayList<>();
        SourceContext ctx = new SourceContext() {
            @Override
            public void reject(Location where, String rawText, String reason, Throwable cause) {
                out.add("rejected " + where + " " + reason);
            }

            @Override
            public void skip(Location where, String rawText, String reason) {
                out.add("skipped " + where + " " + reason);
            }
        };
        if (!split) {
            drain(source.open(ctx), out);
            return out;
        }
        List<CsvSource.ByteRange> splits = source.splits(ctx, new SplitHint(4, target, 1));
        assertFalse(splits.isEmpty(), source.name() + " should split");
        long at = -2;
        for (CsvSource.ByteRange r : splits) {
            if (at != -2) {
                assertEquals(at, r.start(), "splits meet: " + splits);
            }
            at = r.end();
            drain(source.openSplit(ctx, r, -1), out);
        }
        assertEquals(-1, at, "the last split reads to the end");
        return out;
    }

    private static void drain(SourceReader<Row> reader, List<String> out) throws Exception {
        try (reader) {
            for (Row r = reader.next(); r != null; r = reader.next()) {
                out.add(r.values() + " @ " + reader.location());
            }
        }
    }

    private static void same(CsvSource source, long... targets) throws Exception {
        List<String> expected = read(source, false, 0);
        for (long t : targets) {
            assertEquals(expected, read(source, true, t), source.name() + " split every " + t + " bytes");
        }
    }

    @Test
    void quotedLineBreaksCrLfCommentsAndBlankLinesSplitExactly() throws Exception {
        Path f = tmp.resolve("tricky.csv");
        StringBuilder b = new StringBuilder("id,text,n\r\n");
        for (int i = 0; i < 300; i++) {
            switch (i % 6) {
                case 0 ->
                    b.append(i)
                            .append(",\"two\nlines, \"\"quoted\"\"\",")
                            .append(i)
                            .append("\r\n");
                case 1 -> b.append("# a comment with a \" quote\n");
                case 2 -> b.append("\n");
                case 3 -> b.append(i).append(",ragged\n");
                case 4 -> b.append(i).append(",\"a\r\nb\"x,").append(i).append('\r');
                default -> b.append(i).append(",plain,").append(i).append('\n');
            }
        }
        b.append("last,\"no newline\",1");
        Files.writeString(f, b.toString());
        CsvFormat base = CsvFormat.DEFAULT.withComment('#');
        same(Csv.read(f).withFormat(base), 1, 5, 40, 1000, 1 << 20);
        same(Csv.read(f).withFormat(base.withSkipEmptyLines(false)), 1, 17, 333);
        same(Csv.read(f).withFormat(base.withHeader(false)), 1, 64);
        same(Csv.read(f).withFormat(base.withEscape('\\')), 3, 100);
    }

    @Test
    void splitsCoverTheFileInAboutTheTargetSize() throws Exception {
        Path f = tmp.resolve("even.csv");
        StringBuilder b = new StringBuilder("a,b\n");
        for (int i = 0; i < 10_000; i++) {
            b.append(i).append(",x\n");
        }
        Files.writeString(f, b.toString());
        List<CsvSource.ByteRange> splits = Csv.read(f).splits(null, new SplitHint(4, 20_000, 1));
        assertTrue(splits.size() >= 4 && splits.size() <= 6, splits.toString());
        assertEquals(4, splits.get(0).start());
        assertEquals(2, splits.get(0).line());
        assertEquals(0, splits.get(0).recordsBefore());
    }

    @Test
    void streamsCompressedFilesAndSeveralFilesDoNotSplit() throws Exception {
        Path f = tmp.resolve("a.csv");
        Files.writeString(f, "a\n1\n");
        Path gz = tmp.resolve("a.csv.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("a\n1\n".getBytes(StandardCharsets.UTF_8));
        }
        SplitHint hint = new SplitHint(2, 1, 1);
        assertEquals(List.of(), Csv.read(gz).splits(null, hint));
        assertEquals(List.of(), Csv.read(List.of(f, f)).splits(null, hint));
        assertEquals(
                List.of(),
                Csv.read("stdin", () -> new java.io.ByteArrayInputStream(new byte[0]))
                        .splits(null, hint));
    }

    @Test
    void aFileChangedAfterItWasSplitFailsClearly() throws Exception {
        Path f = tmp.resolve("changing.csv");
        Files.writeString(f, "a,b\n1,2\n3,4\n5,6\n");
        CsvSource s = Csv.read(f);
        List<CsvSource.ByteRange> splits = s.splits(null, new SplitHint(2, 1, 1));
        Files.writeString(f, "a,b\n10,2\n3,4\n5,6\n");
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> {
            try (SourceReader<Row> r = s.openSplit(null, splits.get(0), -1)) {
                while (r.next() != null) {}
            }
        });
        assertTrue(e.getMessage().contains("the file changed after it was split"), e.getMessage());
    }

    @Test
    void nycParkingSamplesSplitExactly() throws Exception {
        try (Stream<Path> files = Files.list(SharedData.path("nyc-parking"))) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                same(Csv.read(f), 1000, 64 * 1024);
            }
        }
    }

    @Test
    void csvCorporaSplitExactly() throws Exception {
        int n = 0;
        try (Stream<Path> files = Files.walk(SharedData.path("csv-corpora"))) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                CsvSource s = Csv.read(f);
                List<String> expected;
                try {
                    expected = read(s, false, 0);
                } catch (RuntimeException | IOException e) {
                    continue; // a file this format cannot read at all (the corpus tests cover it)
                }
                for (long t : new long[] {1, 13, 200}) {
                    assertEquals(expected, read(s, true, t), f + " split every " + t + " bytes");
                }
                n++;
            }
        }
        assertTrue(n > 20, "corpus files read: " + n);
    }
}
