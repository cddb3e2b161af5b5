package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.csv.Csv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorPolicyTest {

    private static Flow<Integer> divide() {
        return Flow.of(1, 2, 0, 4, 0, 5).map(x -> 100 / x).named("divide");
    }

    @Test
    void failNamesStageRecordAndSourceAndKeepsTheCause() {
        StageException e = assertThrows(StageException.class, () -> divide().run());
        assertEquals("stage 'divide' failed on record 3 (iterable record 3): / by zero", e.getMessage());
        assertEquals("divide", e.stage());
        assertEquals(3, e.record());
        assertTrue(e.getCause() instanceof ArithmeticException);
    }

    @Test
    void failOnACsvRecordGivesFileAndLine() {
        Flow<Row> rows = Flow.from(Csv.parse("n,d\n1,2\n3,x\n"))
                .map(r -> r.with("q", r.getInt("n") / r.getInt("d")))
                .named("parse-numbers");
        StageException e = assertThrows(StageException.class, rows::run);
        assertEquals(
                "stage 'parse-numbers' failed on record 2 (text line 3): column 'd' value 'x' is not an int (text line 3)",
                e.getMessage());
        assertTrue(e.getCause() instanceof DataException);
        assertTrue(e.getCause().getCause() instanceof NumberFormatException);
    }

    @Test
    void skipCountsRejectsAndGoesOn() {
        RunSummary s = divide().onError(ErrorPolicy.skip()).run();
        assertEquals(2, s.rejected());
        assertEquals(2, s.stage("divide").rejected());
        assertEquals(4, s.recordsOut());
        assertEquals(
                "stage 'divide' record 3 (iterable): / by zero",
                s.firstRejections().get(0).toString());
        assertEquals(
                List.of(100, 50, 25, 20), divide().onError(ErrorPolicy.skip()).toList());
    }

    @Test
    void skipFailsPastItsLimit() {
        SluiceException e = assertThrows(
                SluiceException.class,
                () -> divide().onError(ErrorPolicy.skip(1)).run());
        assertEquals(
                "more than 1 records were rejected, the limit of the error policy; the last: "
                        + "stage 'divide' record 5 (iterable): / by zero",
                e.getMessage());
        assertTrue(e.getCause() instanceof ArithmeticException);
    }

    @Test
    void deadLetterReceivesReasonStageAndRawText() {
        List<Rejected> dead = new ArrayList<>();
        RunSummary s = Flow.from(Csv.parse("n,d\n1,2\n3,x\n5,0\n6,3\n"))
                .map(r -> r.with("q", r.getInt("n") / r.getInt("d")))
                .named("ratio")
                .onError(ErrorPolicy.deadLetter(Sinks.collect(dead)))
                .run();
        assertEquals(2, s.rejected());
        assertEquals(2, dead.size());
        Rejected r = dead.get(0);
        assertEquals("ratio", r.stage());
        assertEquals(2, r.record());
        assertEquals("text", r.source());
        assertEquals(3, r.line());
        assertEquals("3,x", r.rawText());
        assertEquals("column 'd' value 'x' is not an int (text line 3)", r.reason());
        assertEquals("/ by zero", dead.get(1).reason());
        assertEquals("5,0", dead.get(1).rawText());
    }

    @Test
    void deadLetterCsvFileIsWrittenEvenWhenTheRunFails(@TempDir Path dir) throws Exception {
        Path dlq = dir.resolve("rejects.csv");
        assertThrows(
                SluiceException.class,
                () -> divide().onError(ErrorPolicy.deadLetter(dlq).withLimit(1)).run());
        List<String> lines = Files.readAllLines(dlq);
        assertEquals("stage,record,source,line,reason,raw", lines.get(0));
        assertEquals("divide,3,iterable,-1,/ by zero,0", lines.get(1));
        assertEquals(3, lines.size(), "both rejections are kept, the one past the limit too");
    }

    @Test
    void nullFromMapIsAClearError() {
        StageException e = assertThrows(
                StageException.class,
                () -> Flow.of(1).map(x -> null).named("nothing").run());
        assertEquals(
                "stage 'nothing' failed on record 1 (iterable record 1): the function returned null", e.getMessage());
    }

    @Test
    void consumerExceptionsAreNotBlamedOnStages() {
        IllegalStateException cause = new IllegalStateException("mine");
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> Flow.of(1, 2).map(x -> x).forEach(x -> {
                    throw cause;
                }));
        assertSame(cause, e);
    }

    @Test
    void policyDescribesItself() {
        assertEquals("fail", ErrorPolicy.fail().toString());
        assertEquals("skip(max 3)", ErrorPolicy.skip(3).toString());
        assertEquals(
                "maxRejected must be at least 0, was -1",
                assertThrows(IllegalArgumentException.class, () -> ErrorPolicy.skip(-1))
                        .getMessage());
    }
}
