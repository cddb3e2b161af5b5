package dev.sluice.csv;

import static dev.sluice.csv.CsvTesting.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.DataException;
import dev.sluice.ErrorPolicy;
import dev.sluice.Flow;
import dev.sluice.Rejected;
import dev.sluice.Row;
import dev.sluice.RunSummary;
import dev.sluice.Sinks;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDialectTest {

    private static List<List<String>> raw(String text) {
        return records(text, CsvFormat.DEFAULT);
    }

    @Test
    void rfc4180Basics() {
        assertEquals(
                List.of(List.of("a", "b,c", "d\"e", "line1\nline2", "")),
                raw("a,\"b,c\",\"d\"\"e\",\"line1\nline2\",\n"));
        assertEquals(List.of(List.of("", "", "")), raw(",,"), "trailing empty fields");
        assertEquals(List.of(List.of("x")), raw("x"), "no final newline");
        assertEquals(List.of(), raw(""));
    }

    @Test
    void lineEndingsMixedAndCounted() {
        List<Row> rows =
                Flow.from(Csv.parse("h\r\na\rb\nc\r\n\"multi\r\nline\"\nd")).toList();
        assertEquals(
                List.of("a", "b", "c", "multi\r\nline", "d"),
                rows.stream().map(r -> r.get("h")).toList());
        assertEquals(
                List.of(2L, 3L, 4L, 5L, 7L),
                rows.stream().map(r -> r.origin().line()).toList());
        assertEquals(
                List.of(1L, 2L, 3L, 4L, 5L),
                rows.stream().map(r -> r.origin().record()).toList());
    }

    @Test
    void delimiterQuoteEscapeAndComments() {
        CsvFormat f = CsvFormat.DEFAULT.withDelimiter(';').withQuote('\'').withComment('#');
        assertEquals(List.of(List.of("a", "b;c", "it's")), records("# note\na;'b;c';'it''s'\n# end\n", f));
        CsvFormat tsv = CsvFormat.DEFAULT.withDelimiter('\t').withQuote(CsvFormat.NONE);
        assertEquals(List.of(List.of("a\"b", "c")), records("a\"b\tc\n", tsv));
        CsvFormat esc = CsvFormat.DEFAULT.withEscape('\\');
        assertEquals(
                List.of(List.of("a,b", "say \"hi\"", "back\\slash")),
                records("a\\,b,\"say \\\"hi\\\"\",back\\\\slash\n", esc));
    }

    @Test
    void emptyLinesSkippedOrKept() {
        assertEquals(List.of(List.of("a"), List.of("b")), raw("a\n\n\r\nb\n"));
        assertEquals(
                List.of(List.of("a"), List.of(""), List.of(""), List.of("b")),
                records("a\n\n\r\nb\n", CsvFormat.DEFAULT.withSkipEmptyLines(false)));
    }

    @Test
    void bomAndCharsets() throws Exception {
        byte[] bom = "\uFEFFname,city\nAda,Zürich\n".getBytes(StandardCharsets.UTF_8);
        Row r = Flow.from(Csv.read("bom", () -> new java.io.ByteArrayInputStream(bom)))
                .first()
                .orElseThrow();
        assertEquals(List.of("name", "city"), r.schema().names());
        assertEquals("Zürich", r.get("city"));
        for (Charset cs : List.of(
                StandardCharsets.UTF_16,
                StandardCharsets.UTF_16LE,
                StandardCharsets.ISO_8859_1,
                Charset.forName("windows-1252"),
                Charset.forName("Shift_JIS"))) {
            String text = cs.name().startsWith("Shift") ? "名前,都市\n表示,\"東京,日本\"\n" : "name,city\nAda,\"Zürich, CH\"\n";
            byte[] bytes = text.getBytes(cs);
            List<Row> rows = Flow.from(Csv.read("x", () -> new java.io.ByteArrayInputStream(bytes))
                            .withFormat(CsvFormat.DEFAULT.withCharset(cs)))
                    .toList();
            assertEquals(1, rows.size(), cs.name());
            assertEquals(
                    cs.name().startsWith("Shift") ? "東京,日本" : "Zürich, CH",
                    rows.get(0).get(1),
                    cs.name());
            assertTrue(rows.get(0).is(1, rows.get(0).get(1)), cs.name());
        }
    }

    @Test
    void gzipIsDetected(@TempDir Path dir) throws Exception {
        Path gz = dir.resolve("data.csv.gz");
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(gz))) {
            os.write("a,b\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(2, Flow.from(Csv.read(gz)).count());
        assertEquals("4", Flow.from(Csv.read(gz)).skip(1).first().orElseThrow().get("b"));
    }

    @Test
    void maxFieldSize() {
        CsvFormat f = CsvFormat.DEFAULT.withMaxFieldSize(10);
        assertEquals(List.of(List.of("0123456789")), records("0123456789\n", f));
        DataException e = assertThrows(DataException.class, () -> records("ok\n\"01234567890\n", f));
        assertTrue(
                e.getMessage().startsWith("text line 2: field 1 is longer than the maximum field size of 10 bytes"),
                e.getMessage());
        // an unbalanced quote does not swallow a large input into memory
        String big = "a\n\"" + "x".repeat(1 << 20) + "\n";
        DataException e2 =
                assertThrows(DataException.class, () -> records(big, CsvFormat.DEFAULT.withMaxFieldSize(1000)));
        assertTrue(e2.getMessage().contains("maximum field size of 1,000 bytes"), e2.getMessage());
    }

    @Test
    void raggedRowsFailWithFileLineAndCounts() {
        String text = "a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n";
        DataException e = assertThrows(
                DataException.class, () -> Flow.from(Csv.parse(text)).toList());
        assertEquals("text line 3: record 2 has 2 fields, but the header has 3", e.getMessage());
        assertEquals(3, e.location().line());
    }

    @Test
    void raggedRowsSkippedAreCountedAndDeadLettered() {
        String text = "a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n";
        List<Rejected> dead = new ArrayList<>();
        RunSummary s = Flow.from(Csv.parse(text).withFormat(CsvFormat.DEFAULT.withRagged(RaggedPolicy.SKIP)))
                .onError(ErrorPolicy.deadLetter(Sinks.collect(dead)))
                .run();
        assertEquals(2, s.recordsOut());
        assertEquals(2, s.rejected());
        assertEquals(2, s.stages().get(0).rejected());
        assertEquals("4,5", dead.get(0).rawText());
        assertEquals(3, dead.get(0).line());
        assertEquals("record 3 has 4 fields, but the header has 3", dead.get(1).reason());
        // ragged FAIL under a skip policy: skipped too, and counted
        RunSummary s2 = Flow.from(Csv.parse(text)).onError(ErrorPolicy.skip()).run();
        assertEquals(2, s2.rejected());
    }

    @Test
    void raggedRowsPaddedOrTruncated() {
        String text = "a,b,c\n4,5\n6,7,8,9\n";
        List<Row> rows = Flow.from(Csv.parse(text).withFormat(CsvFormat.DEFAULT.withRagged(RaggedPolicy.PAD)))
                .toList();
        assertEquals(Arrays.asList("4", "5", null), rows.get(0).values());
        assertTrue(rows.get(0).isAbsent("c"));
        assertEquals(List.of("6", "7", "8"), rows.get(1).values());
    }

    @Test
    void noHeaderNamesColumnsByPosition() {
        List<Row> rows = Flow.from(Csv.parse("x,y\n1,2\n").withFormat(CsvFormat.DEFAULT.withHeader(false)))
                .toList();
        assertEquals(List.of("1", "2"), rows.get(0).schema().names());
        assertEquals("x", rows.get(0).get("1"));
        assertEquals(2, rows.size());
    }

    @Test
    void emptyAsNull() {
        Row r = Flow.from(Csv.parse("a,b,c\n,\"\",x\n").withFormat(CsvFormat.DEFAULT.withEmptyAsNull(true)))
                .first()
                .orElseThrow();
        assertNull(r.get("a"));
        assertEquals("", r.get("b"));
        assertTrue(r.isAbsent("a"));
        assertTrue(r.isEmpty("b"));
    }

    @Test
    void invalidDialectsFailWhenBuilt() {
        assertEquals(
                "quote character must differ from the delimiter, CR and LF, was ','",
                assertThrows(IllegalArgumentException.class, () -> CsvFormat.DEFAULT.withQuote(','))
                        .getMessage());
        assertEquals(
                "maxFieldSize must be positive, was 0",
                assertThrows(IllegalArgumentException.class, () -> CsvFormat.DEFAULT.withMaxFieldSize(0))
                        .getMessage());
    }

    @Test
    void missingFileSaysWhich(@TempDir Path dir) {
        Path missing = dir.resolve("nope.csv");
        Exception e =
                assertThrows(Exception.class, () -> Flow.from(Csv.read(missing)).count());
        assertTrue(e.getMessage().contains("nope.csv"), e.getMessage());
    }

    /** Serves fixed chunks, one per read call, to put a CR at the end of a read. */
    static java.io.InputStream chunks(String... parts) {
        java.util.Iterator<String> it = List.of(parts).iterator();
        return new java.io.InputStream() {
            byte[] cur = new byte[0];
            int pos;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos == cur.length) {
                    if (!it.hasNext()) {
                        return -1;
                    }
                    cur = it.next().getBytes(StandardCharsets.UTF_8);
                    pos = 0;
                }
                int n = Math.min(len, cur.length - pos);
                System.arraycopy(cur, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    @Test
    void rawTextIsExactWhenACrEndsARead() {
        List<Rejected> dead = new ArrayList<>();
        RunSummary s = Flow.from(Csv.read("chunks", () -> chunks("h\r\na,b\r", "\nc\r\n"))
                        .withFormat(CsvFormat.DEFAULT.withRagged(RaggedPolicy.SKIP)))
                .onError(ErrorPolicy.deadLetter(Sinks.collect(dead)))
                .run();
        assertEquals(1, s.recordsOut());
        assertEquals("a,b", dead.get(0).rawText());
        assertEquals(2, dead.get(0).line());
    }

    @Test
    void escapedLineBreaksInUnquotedFieldsCountAsLines() {
        CsvFormat f =
                CsvFormat.DEFAULT.withQuote(CsvFormat.NONE).withEscape('\\').withHeader(false);
        List<Row> rows = Flow.from(Csv.parse("a\\\nb\nc\n").withFormat(f)).toList();
        assertEquals("a\nb", rows.get(0).get(0));
        assertEquals(3, rows.get(1).origin().line());
    }

    @Test
    void sourceSkipsNeverCountTowardTheLimit() {
        String text = "a,b\n1\n2,3\n4\n";
        RunSummary s = Flow.from(Csv.parse(text).withFormat(CsvFormat.DEFAULT.withRagged(RaggedPolicy.SKIP)))
                .onError(ErrorPolicy.skip(0))
                .run();
        assertEquals(2, s.rejected());
        assertEquals(1, s.recordsOut());
    }

    @Test
    void overlappingSpecialCharactersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CsvFormat.DEFAULT.withEscape('"'));
        assertThrows(IllegalArgumentException.class, () -> CsvFormat.DEFAULT.withComment('"'));
    }
}
