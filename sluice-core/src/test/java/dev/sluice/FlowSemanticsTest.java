package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Each operator against java.util.stream on the same random input, pushed (toList) and pulled (iterator). */
class FlowSemanticsTest {

    private static <T> List<T> pulled(Flow<T> f) {
        List<T> out = new ArrayList<>();
        try (CloseableIterator<T> it = f.iterator()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Property(tries = 200)
    void chainMatchesJavaStreams(
            @ForAll @Size(max = 200) List<@IntRange(min = -50, max = 50) Integer> input,
            @ForAll @IntRange(min = 0, max = 40) int skip,
            @ForAll @IntRange(min = 0, max = 300) int limit) {
        Flow<Integer> flow = Flow.from(input)
                .map(x -> x * 3)
                .filter(x -> x % 2 == 0)
                .flatMap(x -> List.of(x, -x))
                .skip(skip)
                .limit(limit);
        List<Integer> expected = input.stream()
                .map(x -> x * 3)
                .filter(x -> x % 2 == 0)
                .flatMap(x -> Stream.of(x, -x))
                .skip(skip)
                .limit(limit)
                .collect(Collectors.toList());
        assertEquals(expected, flow.toList());
        assertEquals(expected, pulled(flow));
        assertEquals(expected.size(), flow.count());
    }

    @Property(tries = 200)
    void batchesAreFullExceptTheLast(
            @ForAll @Size(max = 100) List<Integer> input, @ForAll @IntRange(min = 1, max = 15) int size) {
        List<List<Integer>> batches = Flow.from(input).batch(size).toList();
        List<Integer> flat = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            List<Integer> b = batches.get(i);
            assertTrue(!b.isEmpty() && b.size() <= size);
            if (i < batches.size() - 1) {
                assertEquals(size, b.size());
            }
            flat.addAll(b);
        }
        assertEquals(input, flat);
        assertEquals(batches, pulled(Flow.from(input).batch(size)));
    }

    @Property(tries = 100)
    void limitAroundBatchAndFlatMap(
            @ForAll @Size(max = 60) List<Integer> input,
            @ForAll @IntRange(min = 1, max = 7) int size,
            @ForAll @IntRange(min = 0, max = 20) int limit) {
        // limit upstream of batch: the partial last batch is still emitted
        List<List<Integer>> a = Flow.from(input).limit(limit).batch(size).toList();
        List<Integer> first = input.subList(0, Math.min(limit, input.size()));
        assertEquals(first, a.stream().flatMap(List::stream).collect(Collectors.toList()));
        // limit downstream of flatMap: flatMap after a limit still expands fully
        List<Integer> b =
                Flow.from(input).limit(limit).flatMap(x -> List.of(x, x)).toList();
        assertEquals(first.stream().flatMap(x -> Stream.of(x, x)).collect(Collectors.toList()), b);
        // limit of a mapBatches flow
        List<Integer> c =
                Flow.from(input).mapBatches(size, batch -> batch).limit(limit).toList();
        assertEquals(first, c);
    }

    @org.junit.jupiter.api.Test
    void sourcesOfEveryKind() {
        assertEquals(List.of(1L, 2L, 3L), Flow.range(1, 4).toList());
        assertEquals(List.of("a", "b"), Flow.of("a", "b").toList());
        assertEquals(List.of(1, 2), Flow.from(List.of(1, 2).iterator()).toList());
        assertEquals(List.of(1, 2), Flow.from(Stream.of(1, 2)).toList().subList(0, 2));
        int[] c = {0};
        assertEquals(
                List.of(1, 2, 3),
                Flow.supply(() -> ++c[0] <= 3 ? c[0] : null).limit(10).toList());
        assertEquals(
                List.of(0L, 1L, 2L),
                Flow.<Long>generate(out -> {
                            for (long i = 0; ; i++) {
                                out.emit(i);
                            }
                        })
                        .limit(3)
                        .toList());
        assertEquals(List.of(), Flow.empty().toList());
        assertEquals(
                IntStream.range(0, 10).boxed().collect(Collectors.toList()),
                Flow.from(new TrackingSource(10)).toList());
    }

    @org.junit.jupiter.api.Test
    void flowsAreReRunnableAndSingleUseSourcesSayWhy() {
        Flow<Integer> f = Flow.from(List.of(1, 2, 3)).map(x -> x + 1);
        assertEquals(f.toList(), f.toList());
        Flow<Integer> once = Flow.from(List.of(1).iterator());
        once.toList();
        IllegalStateException e = assertThrows(IllegalStateException.class, once::toList);
        assertTrue(e.getMessage().contains("can be run only once"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void applyRunsAReusableStage() {
        dev.sluice.fn.FlowFn<Integer, String> stage =
                f -> f.filter(x -> x > 1).map(x -> "n" + x).named("render");
        assertEquals(List.of("n2", "n3"), Flow.of(1, 2, 3).apply(stage).toList());
    }

    @org.junit.jupiter.api.Test
    void argumentChecksNameTheParameterAndValue() {
        assertEquals(
                "batch size must be positive, was 0",
                assertThrows(IllegalArgumentException.class, () -> Flow.of(1).batch(0))
                        .getMessage());
        assertEquals(
                "limit must be at least 0, was -1",
                assertThrows(IllegalArgumentException.class, () -> Flow.of(1).limit(-1))
                        .getMessage());
        assertEquals(
                "skip must be at least 0, was -2",
                assertThrows(IllegalArgumentException.class, () -> Flow.of(1).skip(-2))
                        .getMessage());
    }

    @org.junit.jupiter.api.Test
    void explainShowsEachStageWithNameAndMemoryClass() {
        String plan = Flow.from(new TrackingSource(3))
                .filter(x -> x > 0)
                .named("positive")
                .map(x -> x * 2)
                .batch(100)
                .to(Sinks.discard())
                .explain();
        assertEquals(
                String.join(
                        "\n",
                        "   tracking  streaming  source",
                        "-> positive  streaming  filter",
                        "-> map       streaming  map",
                        "-> batch     bounded    batch(100)",
                        "-> discard   streaming  sink",
                        "error policy: fail"),
                plan);
    }

    @org.junit.jupiter.api.Test
    void summaryCountsRecordsPerStage() {
        RunSummary s = Flow.from(new TrackingSource(10))
                .filter(x -> x % 2 == 0)
                .named("even")
                .map(x -> x)
                .to(Sinks.discard())
                .run();
        assertEquals(10, s.stage("tracking").out());
        assertEquals(10, s.stage("even").in());
        assertEquals(5, s.stage("even").out());
        assertEquals(5, s.stage("discard").out());
        assertEquals(5, s.recordsOut());
        assertEquals(10, s.recordsIn());
        assertTrue(s.peakHeapBytes() > 0);
        assertTrue(s.toString().contains("even"), s.toString());
    }
}
