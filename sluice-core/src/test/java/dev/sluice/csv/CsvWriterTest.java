package dev.sluice.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.Flow;
import dev.sluice.Row;
import dev.sluice.Schema;
import dev.sluice.StageException;
import dev.sluice.testdata.SharedData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvWriterTest {

    @SafeVarargs
    private static String write(CsvFormat f, List<String>... records) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (CsvWriter w = new CsvWriter(bytes, f)) {
            for (List<String> r : records) {
                w.writeRecord(r);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void minimalQuotingLikePythonsCsvModule() throws Exception {
        // python3 -c "import csv,io; s=io.StringIO(); w=csv.writer(s); w.writerow(['a','','b c','
        // x','a,b','q\"','n\nl',
        //   None,'1.5']); w.writerow(['']); print(repr(s.getvalue()))"
        String python = "a,,b c, x,\"a,b\",\"q\"\"\",\"n\nl\",,1.5\r\n\"\"\r\n";
        String ours = write(
                CsvFormat.DEFAULT.withLineEnding("\r\n"),
                Arrays.asList("a", "", "b c", " x", "a,b", "q\"", "n\nl", null, "1.5"),
                Arrays.asList(""));
        assertEquals(python, ours);
        assertEquals("a,\"b\rc\"\n", write(CsvFormat.DEFAULT, List.of("a", "b\rc")));
    }

    @Test
    void quoteAllEscapesAndDelimiters() throws Exception {
        assertEquals(
                "\"a\",\"\",\"b\"\"c\"\n", write(CsvFormat.DEFAULT.withQuoting(Quoting.ALL), List.of("a", "", "b\"c")));
        assertEquals(
                "a;\"b;c\"\r", write(CsvFormat.DEFAULT.withDelimiter(';').withLineEnding("\r"), List.of("a", "b;c")));
        assertEquals(
                "a\\,b\tc\n", write(CsvFormat.DEFAULT.withQuote(CsvFormat.NONE).withEscape('\\'), List.of("a,b\tc")));
        // python3: csv.writer(s, escapechar='\\', lineterminator='\n').writerow(['a"b', 'a\\b', 'x']) -> "a""b",a\\b,x
        assertEquals("\"a\"\"b\",a\\\\b,x\n", write(CsvFormat.DEFAULT.withEscape('\\'), List.of("a\"b", "a\\b", "x")));
        assertEquals(
                "\"#x\",y\n", write(CsvFormat.DEFAULT.withComment('#'), List.of("#x", "y")), "not read as a comment");
        assertEquals(
                "Quoting.ALL needs a quote character, but the format's quote is NONE",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> write(
                                        CsvFormat.DEFAULT
                                                .withQuote(CsvFormat.NONE)
                                                .withQuoting(Quoting.ALL),
                                        List.of("a")))
                        .getMessage());
        assertThrows(
                dev.sluice.DataException.class,
                () -> write(CsvFormat.DEFAULT.withQuote(CsvFormat.NONE), Arrays.asList("")));
    }

    @Test
    void anUnclosedQuoteIsNeverCopiedRaw(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("o.csv");
        Flow.from(Csv.parse("id,v\n1,\"a,b"))
                .map(r -> r.with("x", "9"))
                .to(Csv.write(out))
                .run();
        Row back = Flow.from(Csv.read(out)).first().orElseThrow();
        assertEquals(List.of("1", "a,b", "9"), back.values());
    }

    @Test
    void sinkWritesHeaderAndRowsByName(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.csv");
        Schema s = Schema.of("b", "a");
        Flow.of(Row.of("a", "1", "b", "2"), s.row("4", "3")).to(Csv.write(out)).run();
        assertEquals("a,b\n1,2\n3,4\n", Files.readString(out));
    }

    @Test
    void rowsThatDoNotFitTheHeaderAreBadRecords(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.csv");
        StageException e = assertThrows(
                StageException.class,
                () -> Flow.of(Row.of("a", "1"), Row.of("b", "2"))
                        .to(Csv.write(out))
                        .run());
        assertEquals(
                "stage 'csv(out.csv)' failed on record 2 (iterable record 2): the row has no column 'a', which the "
                        + "header has; the row's columns are [b]",
                e.getMessage());
        assertFalse(Files.exists(out), "a failed run leaves no file that looks complete");
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "the temporary file is removed too");
        }
    }

    @Test
    void gzipOutputByExtension(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.csv.gz");
        Flow.of(Row.of("a", "x")).to(Csv.write(out)).run();
        assertEquals(2, Flow.from(Csv.read(out)).count() + 1);
    }

    /** Reads and rewrites the real FY2017 sample with Sluice and with Python's csv module: the bytes match. */
    @Test
    void roundTripMatchesPythonOnTheNycSample(@TempDir Path dir) throws Exception {
        Path in = SharedData.path("nyc-parking/pv_fy2017_4999rows_CreativePenguin.csv");
        Path ours = dir.resolve("ours.csv");
        Path theirs = dir.resolve("python.csv");
        Flow.from(Csv.read(in))
                .to(Csv.write(ours, CsvFormat.DEFAULT.withLineEnding("\r\n")))
                .run();
        String script = "import csv,sys\n"
                + "with open(sys.argv[1], newline='') as f, open(sys.argv[2], 'w', newline='') as o:\n"
                + "    csv.writer(o).writerows(csv.reader(f))\n";
        assumeTrue(pythonPresent(), "skipped: python3 is not installed, so there is no reference output");
        Process p = new ProcessBuilder("python3", "-c", script, in.toString(), theirs.toString())
                .redirectErrorStream(true)
                .start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(Files.readString(theirs), Files.readString(ours));
    }

    static boolean pythonPresent() {
        try {
            Process p = new ProcessBuilder("python3", "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException | InterruptedException e) {
            return false;
        }
    }
}
