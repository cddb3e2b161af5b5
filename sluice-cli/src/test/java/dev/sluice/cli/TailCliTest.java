package dev.sluice.cli;

import static dev.sluice.cli.CliTest.sluice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice tail}: parsing real logs, resuming with --state, and surviving kill -9 of a real process. */
class TailCliTest {
    private static final Path ACCESS = Path.of("../../shared/data/logs/apache-access/apache_logs");

    @Test
    void aRealAccessLogParsedToCsvWithTheMalformedLineRejectedByLine(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.exists(ACCESS), "shared data: logs/apache-access/apache_logs is absent");
        Path out = dir.resolve("access.csv");
        CliTest.Result r = sluice("tail", ACCESS.toString(), "--format", "combined", "--once", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(10_000, Files.readAllLines(out).size(), "a header and 9,999 rows");
        assertTrue(r.err().contains("10,000 lines read, 9,999 written, 1 rejected"), r.err());
        assertTrue(r.err().contains("apache_logs line 8899"), r.err());
        try (var left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertEquals(
                    List.of(),
                    left.filter(p -> p.getFileName().toString().matches("sluice-tail-[0-9]+"))
                            .toList(),
                    "the temporary state is removed");
        }
    }

    @Test
    void windowsResumedFromStateGiveWhatOneRunGives(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.exists(ACCESS), "shared data: logs/apache-access/apache_logs is absent");
        List<String> all = Files.readAllLines(ACCESS);
        Path log = dir.resolve("access.log");
        Files.write(log, all.subList(0, 5000));
        String[] w = {
            "--format", "combined", "--once", "--window", "1m", "--out-of-order", "60s", "--by", "status", "-q"
        };
        String[] first = concat(
                new String[] {
                    "tail",
                    log.toString(),
                    "--state",
                    dir.resolve("st").toString(),
                    "--out",
                    dir.resolve("resumed.csv").toString()
                },
                w);
        assertEquals(0, sluice(first).code());
        Files.write(log, all.subList(5000, all.size()), StandardOpenOption.APPEND);
        assertEquals(0, sluice(concat(first, new String[] {"--drain"})).code());
        String[] one = concat(
                new String[] {
                    "tail", ACCESS.toString(), "--out", dir.resolve("one.csv").toString()
                },
                w);
        assertEquals(0, sluice(one).code());
        List<String> a = new ArrayList<>(Files.readAllLines(dir.resolve("resumed.csv")));
        List<String> b = new ArrayList<>(Files.readAllLines(dir.resolve("one.csv")));
        java.util.Collections.sort(a);
        java.util.Collections.sort(b);
        assertEquals(292, b.size());
        assertEquals(b, a);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void linesCopiedAcrossRestartsWithState(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("app.log");
        Path copy = dir.resolve("copy.log");
        Files.writeString(log, "one\ntwo\n");
        String[] args = {
            "tail",
            log.toString(),
            "--format",
            "lines",
            "--state",
            dir.resolve("st").toString(),
            "--once",
            "--out",
            copy.toString(),
            "-q"
        };
        assertEquals(0, sluice(args).code());
        Files.writeString(log, "three\n", StandardOpenOption.APPEND);
        Files.move(log, dir.resolve("app.log.1"));
        Files.writeString(log, "four\n");
        assertEquals(0, sluice(args).code());
        assertEquals("one\ntwo\nthree\nfour\n", Files.readString(copy));
    }

    @Test
    void standardInputGivesWhatTheFileGives(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.exists(ACCESS), "shared data: logs/apache-access/apache_logs is absent");
        Path fromFile = dir.resolve("file.jsonl");
        assertEquals(
                0,
                sluice("tail", ACCESS.toString(), "--format", "combined", "--once", "--out", fromFile.toString(), "-q")
                        .code());
        FilesAndVerbsTest.Result r =
                FilesAndVerbsTest.sluice(Files.readAllBytes(ACCESS), "tail", "-", "--format", "combined", "-q");
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(fromFile), r.text());
        assertEquals(9_999, r.text().lines().count());
    }

    @Test
    void stdinCannotBeResumedAndABadFormatIsAUsageError(@TempDir Path dir) {
        CliTest.Result r = sluice("tail", "-", "--state", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--state cannot resume standard input"), r.err());
        r = sluice("tail", "x.log", "--format", "nginx-json");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("the formats are combined, common"), r.err());
    }
}
