package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.csv.Csv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plans are values a runner runs: any runner through the same calls, serializable to be shipped. */
class RunnerSeamTest {
    @TempDir
    Path dir;

    /** A runner that records what it was asked and hands the plan to the local runner. */
    static final class Recording implements Runner {
        final List<String> calls = new ArrayList<>();

        @Override
        public RunSummary run(Plan plan, RunListener listener) {
            calls.add("run " + plan.stageNames() + " -> " + plan.sink().name());
            return LocalRunner.get().run(plan, listener);
        }

        @Override
        public <T> CloseableIterator<T> iterate(Plan plan) {
            calls.add("iterate " + plan.stageNames());
            return LocalRunner.get().iterate(plan);
        }
    }

    @Test
    void pipelinesAndIteratorsRunOnTheRunnerGiven() throws Exception {
        Path in = dir.resolve("in.csv");
        Files.writeString(in, "a\n1\n2\n3\n");
        Recording r = new Recording();
        Pipeline p = Flow.from(Csv.read(in))
                .filter(x -> !x.is("a", "2"))
                .named("not-two")
                .to(Csv.write(dir.resolve("o.csv")));
        RunSummary s = p.run(r);
        assertEquals(2, s.recordsOut());
        assertEquals("a\n1\n3\n", Files.readString(dir.resolve("o.csv")));
        try (CloseableIterator<Row> it = Flow.from(Csv.read(in)).limit(1).iterator(r)) {
            assertEquals("1", it.next().get("a"));
        }
        assertEquals(List.of("run [csv(in.csv), not-two] -> csv(o.csv)", "iterate [csv(in.csv), limit]"), r.calls);
        assertEquals(p.explain(), p.plan().explain());
    }

    @Test
    void theLocalRunnerRefusesAPlanThatDoesNotFitTheCall() {
        Plan pulled = Flow.of(1, 2).plan();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> LocalRunner.get().run(pulled, null));
        assertTrue(e.getMessage().contains("has no sink"), e.getMessage());
        Plan written = Flow.of(Row.of("a", "1")).to(Sinks.discard()).plan();
        assertThrows(IllegalArgumentException.class, () -> LocalRunner.get().iterate(written));
    }

    @Test
    void aPlanSurvivesSerializationAndRunsTheSame() throws Exception {
        Path in = dir.resolve("in.csv");
        Files.writeString(in, "a,b\n1,x\n2,y\n3,z\n");
        Path out = dir.resolve("out.csv");
        Plan plan = Flow.from(Csv.read(in))
                .filter(r -> !r.is("a", "2"))
                .map(r -> r.with("c", r.get("b") + "!"))
                .onError(ErrorPolicy.skip(5))
                .to(Csv.write(out))
                .plan();
        Plan copy = SerializationTest.roundTrip(plan);
        assertEquals(plan.explain(), copy.explain());
        LocalRunner.get().run(copy, null);
        assertEquals("a,b,c\n1,x,x!\n3,z,z!\n", Files.readString(out));
    }
}
