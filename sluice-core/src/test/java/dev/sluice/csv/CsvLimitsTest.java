package dev.sluice.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.DataException;
import dev.sluice.Flow;
import dev.sluice.Row;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record-size and field-count limits, strict UTF-8, and several files under one header. */
class CsvLimitsTest {
    @TempDir
    Path dir;

    @Test
    void aRecordLongerThanTheLimitNamesItsLineInBothParserModes() {
        String text = "a,b\n1,2\n3," + "x".repeat(5000) + "\n5,6\n";
        for (CsvFormat f : List.of(CsvFormat.DEFAULT, CsvFormat.DEFAULT.withEscape('\\'))) {
            DataException e = assertThrows(
                    DataException.class,
                    () -> Flow.from(Csv.parse(text).withFormat(f.withMaxRecordSize(1000)))
                            .toList());
            assertEquals(
                    "text line 3: the record is longer than the maximum record size of 1,000 bytes (is a quote not "
                            + "closed?)",
                    e.getMessage());
        }
        // a record past the buffer's first size grows it no further than the limit
        String big = "a\n" + "y".repeat(300_000) + "\n";
        DataException e = assertThrows(
                DataException.class,
                () -> Flow.from(Csv.parse(big).withFormat(CsvFormat.DEFAULT.withMaxRecordSize(200_000)))
                        .toList());
        assertTrue(e.getMessage().startsWith("text line 2: "), e.getMessage());
        assertEquals(
                1,
                Flow.from(Csv.parse(big).withFormat(CsvFormat.DEFAULT.withMaxRecordSize(300_000)))
                        .count());
    }

    @Test
    void tooManyFieldsNamesTheLimit() {
        String text = "a\n" + ",".repeat(20) + "\n";
        for (CsvFormat f : List.of(CsvFormat.DEFAULT, CsvFormat.DEFAULT.withEscape('\\'))) {
            DataException e = assertThrows(
                    DataException.class,
                    () -> Flow.from(Csv.parse(text)
                                    .withFormat(f.withMaxFields(10).withRagged(RaggedPolicy.PAD)))
                            .toList());
            assertTrue(
                    e.getMessage().startsWith("text line 2: the record has ")
                            && e.getMessage().contains("maximum of 10 fields"),
                    e.getMessage());
        }
        assertEquals(
                1,
                Flow.from(Csv.parse(text)
                                .withFormat(CsvFormat.DEFAULT.withMaxFields(21).withRagged(RaggedPolicy.PAD)))
                        .count(),
                "21 fields are within a limit of 21");
    }

    @Test
    void strictRejectsInvalidUtf8WithTheLineAndLenientReadsReplacementCharacters() {
        byte[] bytes = "a,b\n1,ok\n2,caf\u00e9\n3,bad\u0000\n".getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 2] = (byte) 0xC3; // a lead byte with no continuation: "bad\xC3\n"
        String name = "t.csv";
        DataException e = assertThrows(
                DataException.class,
                () -> Flow.from(Csv.read(name, () -> new java.io.ByteArrayInputStream(bytes))
                                .withFormat(CsvFormat.DEFAULT.withStrict(true)))
                        .toList());
        assertEquals("t.csv line 4: record 3 is not valid UTF-8: byte 0xC3 at byte 6 of the record", e.getMessage());
        List<Row> rows = Flow.from(Csv.read(name, () -> new java.io.ByteArrayInputStream(bytes)))
                .toList();
        assertEquals("bad\uFFFD", rows.get(2).get("b"));
        assertEquals("caf\u00e9", rows.get(1).get("b"));
    }

    @Test
    void utf8ValidationAgreesWithTheJdkDecoder() {
        java.util.Random rnd = new java.util.Random(11);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[rnd.nextInt(24)];
            for (int k = 0; k < b.length; k++) {
                b[k] = (byte)
                        (rnd.nextInt(4) == 0
                                ? rnd.nextInt(256)
                                : rnd.nextInt(4) == 0 ? 0x80 + rnd.nextInt(64) : 0x20 + rnd.nextInt(90));
            }
            boolean jdk;
            try {
                StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
                jdk = true;
            } catch (java.nio.charset.CharacterCodingException x) {
                jdk = false;
            }
            assertEquals(jdk, Utf8.valid(b, 0, b.length), java.util.Arrays.toString(b));
        }
    }

    @Test
    void severalFilesReadAsOneWithTheirOwnLines() throws Exception {
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv.gz");
        Files.writeString(a, "x,y\n1,2\n");
        try (var o = new java.util.zip.GZIPOutputStream(Files.newOutputStream(b))) {
            o.write("x,y\n3,4\n5,6\n".getBytes(StandardCharsets.UTF_8));
        }
        List<Row> rows = Flow.from(Csv.read(List.of(a, b))).toList();
        assertEquals(3, rows.size());
        assertEquals("b.csv.gz", rows.get(2).origin().source());
        assertEquals(3, rows.get(2).origin().line());
        assertEquals(List.of(a, b), Csv.read(List.of(a, b)).inputFiles());
    }
}
