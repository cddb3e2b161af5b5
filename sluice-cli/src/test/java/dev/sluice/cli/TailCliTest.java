package dev.sluice.cli;

import static dev.sluice.cli.CliTest.sluice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    void stdinCannotBeResumedAndABadFormatIsAUsageError(@TempDir Path dir) {
        CliTest.Result r = sluice("tail", "-", "--state", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--state cannot resume standard input"), r.err());
        r = sluice("tail", "x.log", "--format", "nginx-json");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("the formats are combined, common"), r.err());
    }

    /**
     * A real process killed with SIGKILL three times while a writer appends and rotates: the copy equals the input,
     * nothing lost, nothing repeated.
     */
    @Test
    void killedWithSigkillAndRestartedItLosesAndRepeatsNothing(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("app.log");
        Path copy = dir.resolve("copy.log");
        Files.writeString(log, "");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(
                java,
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.sluice.cli.Main",
                "tail",
                log.toString(),
                "--state",
                dir.resolve("st").toString(),
                "--out",
                copy.toString(),
                "--poll",
                "10ms",
                "--checkpoint-every",
                "50ms",
                "-q");
        StringBuilder expected = new StringBuilder();
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("o9").toFile())
                .start();
        int n = 0;
        List<Process> all = new ArrayList<>(List.of(p));
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < 3000; i++) {
                String l = "line " + (++n) + "\n";
                Files.writeString(log, l, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                expected.append(l);
                if (i == 1500 && round < 3) {
                    Thread.sleep(300);
                    p.destroyForcibly().waitFor(); // SIGKILL
                    p = new ProcessBuilder(cmd)
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve("o" + round).toFile())
                            .start();
                    all.add(p);
                }
            }
            Files.move(log, dir.resolve("app.log." + round));
            Files.writeString(log, "");
        }
        long end = System.nanoTime() + 60_000_000_000L;
        while ((!Files.exists(copy) || Files.size(copy) < expected.length()) && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        p.destroy(); // SIGTERM: stops cleanly
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        StringBuilder logs = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("o[0-9]+"))
                    .toList()) {
                logs.append(f.getFileName())
                        .append(": ")
                        .append(Files.readString(f))
                        .append('\n');
            }
        }
        assertEquals(expected.toString(), Files.exists(copy) ? Files.readString(copy) : "", logs.toString());
        for (Process q : all) {
            q.destroyForcibly();
        }
    }
}
