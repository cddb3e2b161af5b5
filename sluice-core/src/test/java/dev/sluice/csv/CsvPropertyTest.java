package dev.sluice.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Differential tests: Sluice's parser against Apache Commons CSV (an established parser, test scope only) on
 * randomly generated messy but valid RFC 4180 input — quoted delimiters, doubled quotes, CR/LF/CRLF inside and
 * between records, empty fields, multi-byte text — read whole and one byte at a time (so every byte is a buffer
 * boundary).
 */
class CsvPropertyTest {

    /** A field: plain text, or quoted text from the full messy alphabet with its quotes doubled. */
    @Provide
    Arbitrary<String> csvText() {
        Arbitrary<String> plain =
                Arbitraries.strings().withChars("ab é€1 ".toCharArray()).ofMaxLength(6);
        Arbitrary<String> messy = Arbitraries.strings()
                .withChars("ab,\"\r\n éX".toCharArray())
                .ofMaxLength(8)
                .map(s -> "\"" + s.replace("\"", "\"\"").replace("X", "😀") + "\""); // a 4-byte character
        Arbitrary<String> field = Arbitraries.oneOf(plain, messy);
        Arbitrary<String> eol = Arbitraries.of("\n", "\r\n", "\r");
        Arbitrary<String> record = Combinators.combine(field.list().ofMinSize(1).ofMaxSize(5), eol)
                .as((fields, end) -> String.join(",", fields) + end);
        return Combinators.combine(record.list().ofMaxSize(12), Arbitraries.of(true, false))
                .as((records, trailing) -> {
                    String s = String.join("", records);
                    if (!trailing && !s.isEmpty()) {
                        s = s.replaceFirst("(\r\n|\r|\n)$", ""); // no newline after the last record
                    }
                    return s;
                });
    }

    static List<List<String>> commons(String text) throws IOException {
        List<List<String>> out = new ArrayList<>();
        CSVFormat f = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).build();
        try (CSVParser p = CSVParser.parse(new StringReader(text), f)) {
            for (CSVRecord r : p) {
                out.add(r.toList());
            }
        }
        return out;
    }

    @Property(tries = 1000)
    void sameRecordsAsCommonsCsv(@ForAll("csvText") String text) throws IOException {
        CsvFormat f = CsvFormat.DEFAULT.withSkipEmptyLines(false);
        List<List<String>> expected = commons(text);
        // Commons reads a record that is one empty field before EOF as nothing; so do we, except after a line break
        assertEquals(expected, CsvTesting.records(text, f), () -> "input: " + escape(text));
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<List<String>> oneByte =
                CsvTesting.records(Csv.read("trickle", () -> new Trickle(bytes)).withFormat(f));
        assertEquals(expected, oneByte, () -> "one byte at a time: " + escape(text));
        List<Long> offsets = new ArrayList<>();
        dev.sluice.Flow.from(Csv.parse(text).withFormat(f.withHeader(false).withRagged(RaggedPolicy.PAD)))
                .forEach(r -> offsets.add(r.origin().byteOffset()));
        List<Long> trickled = new ArrayList<>();
        dev.sluice.Flow.from(Csv.read("trickle", () -> new Trickle(bytes))
                        .withFormat(f.withHeader(false).withRagged(RaggedPolicy.PAD)))
                .forEach(r -> trickled.add(r.origin().byteOffset()));
        assertEquals(offsets, trickled, "byte offsets do not depend on buffer boundaries");
        for (int i = 0; i < offsets.size(); i++) {
            long o = offsets.get(i);
            assertTrue(
                    i == 0 ? o == 0 : bytes[(int) o - 1] == '\n' || bytes[(int) o - 1] == '\r',
                    "record " + i + " starts after a line break");
        }
    }

    static String escape(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }

    /** An input stream that returns one byte per read call. */
    static final class Trickle extends InputStream {
        private final ByteArrayInputStream in;

        Trickle(byte[] bytes) {
            in = new ByteArrayInputStream(bytes);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(1, len));
        }
    }

    /**
     * Raw pass-through: writing rows read from CSV (copied as raw bytes where canonical) gives exactly the bytes
     * that writing their decoded values gives, with and without an appended column.
     */
    @Property(tries = 500)
    void rawPassThroughEqualsEncodingTheValues(@ForAll("csvText") String text) throws IOException {
        CsvFormat in = CsvFormat.DEFAULT.withHeader(false).withRagged(RaggedPolicy.PAD);
        List<dev.sluice.Row> rows =
                dev.sluice.Flow.from(Csv.parse(text).withFormat(in)).toList();
        for (boolean append : new boolean[] {false, true}) {
            java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream decoded = new java.io.ByteArrayOutputStream();
            try (CsvWriter a = new CsvWriter(raw, CsvFormat.DEFAULT);
                    CsvWriter b = new CsvWriter(decoded, CsvFormat.DEFAULT)) {
                for (dev.sluice.Row r : rows) {
                    dev.sluice.Row out = append ? r.with("extra", "x,\"y") : r;
                    a.writeRow(out, true);
                    b.writeRow(dev.sluice.Row.of(out.schema(), out.values().toArray(), null), true);
                }
            }
            assertEquals(
                    decoded.toString(StandardCharsets.UTF_8),
                    raw.toString(StandardCharsets.UTF_8),
                    () -> "input: " + escape(text));
        }
    }
}
