package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blocking operators on Java records (keyed by component name) and on other types through a Codec. */
class UserTypesTest {
    @TempDir
    Path dir;

    record Ticket(String plate, String make, long fine, int seq) {}

    /** Neither a record nor Serializable: it needs a codec to be spilled. */
    static final class Point {
        final double x;
        final double y;

        Point(double x, double y) {
            this.x = x;
            this.y = y;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Point p && p.x == x && p.y == y;
        }

        @Override
        public int hashCode() {
            return Double.hashCode(x) * 31 + Double.hashCode(y);
        }
    }

    private static List<Ticket> tickets(int n) {
        Random r = new Random(3);
        List<Ticket> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Ticket("P" + r.nextInt(3000), "M" + r.nextInt(40), r.nextInt(300), i));
        }
        return out;
    }

    private LocalRunner tiny() {
        return LocalRunner.get().withMemory(256 << 10).withTempDir(dir);
    }

    @Test
    void recordsSortGroupDistinctAndTopNByComponentName() {
        List<Ticket> in = tickets(30_000);
        List<Ticket> expected = new ArrayList<>(in);
        expected.sort(Comparator.comparing(Ticket::plate).thenComparing(Ticket::make)); // stable
        List<Ticket> sorted = new ArrayList<>();
        RunSummary s =
                Flow.from(in).sortBy("plate", "make").to(Sinks.collect(sorted)).run(tiny());
        assertEquals(expected, sorted, "records sorted by components, spilled and read back equal");
        assertTrue(s.spilledBytes() > 0);

        Map<String, long[]> byMake = new TreeMap<>();
        for (Ticket t : in) {
            long[] a = byMake.computeIfAbsent(t.make(), k -> new long[2]);
            a[0]++;
            a[1] += t.fine();
        }
        List<String> want = new ArrayList<>();
        byMake.forEach((k, a) -> want.add(k + "=" + a[0] + "/" + a[1]));
        List<String> got = new ArrayList<>();
        List<Row> groups = new ArrayList<>();
        Flow.from(in)
                .groupBy("make")
                .aggregate(Agg.count(), Agg.sum("fine"))
                .to(Sinks.collect(groups))
                .run(tiny());
        for (Row r : groups) {
            got.add(r.get("make") + "=" + r.get("count") + "/" + r.get("sum(fine)"));
        }
        assertEquals(want, got);

        Map<String, Ticket> first = new LinkedHashMap<>();
        in.forEach(t -> first.putIfAbsent(t.plate(), t));
        List<Ticket> distinct = new ArrayList<>();
        Flow.from(in).distinct("plate").to(Sinks.collect(distinct)).run(tiny());
        assertEquals(new ArrayList<>(first.values()), distinct);

        List<Ticket> top =
                Flow.from(in).topN(5, SortKey.desc("fine"), SortKey.asc("seq")).toList();
        List<Ticket> byFine = new ArrayList<>(in);
        byFine.sort(Comparator.comparingLong(Ticket::fine).reversed().thenComparingInt(Ticket::seq));
        assertEquals(byFine.subList(0, 5), top);
    }

    @Test
    void aTypeThatIsNeitherARecordNorSerializableSpillsThroughItsCodec() {
        Random r = new Random(5);
        List<Point> in = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            in.add(new Point(r.nextInt(1000), r.nextDouble()));
        }
        Comparator<Point> byX = (Comparator<Point> & Serializable) (a, b) -> Double.compare(a.x, b.x);
        Exception e = assertThrows(
                SluiceException.class,
                () -> Flow.from(in)
                        .sortBy(byX)
                        .to(Sinks.collect(new ArrayList<>()))
                        .run(tiny()));
        assertTrue(e.getMessage().contains("give the flow a codec for it"), e.getMessage());

        Codec<Point> points = Codec.of(
                Point.class,
                (p, out) -> {
                    out.writeDouble(p.x);
                    out.writeDouble(p.y);
                },
                d -> new Point(d.readDouble(), d.readDouble()));
        List<Point> got = new ArrayList<>();
        RunSummary s =
                Flow.from(in).codec(points).sortBy(byX).to(Sinks.collect(got)).run(tiny());
        List<Point> expected = new ArrayList<>(in);
        expected.sort(byX);
        assertEquals(expected, got);
        assertTrue(s.spilledBytes() > 0, "spilled through the codec");
        assertEquals(
                16 * 40_000L + 3 * 40_000L, s.spilledBytes(), 40_000L * 2, "16 bytes a point, a few more a record");
        assertTrue(Flow.from(in).codec(points).explain().contains("codec(Point)"));
        List<Point> unique = Flow.from(in).codec(points).distinct().toList();
        assertEquals(new java.util.LinkedHashSet<>(in).size(), unique.size());
    }
}
