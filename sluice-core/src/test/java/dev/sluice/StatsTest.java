package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The global aggregate and the column profile ({@code stats()}), on one and several threads. */
class StatsTest {
    @TempDir
    Path dir;

    @Test
    void aGlobalAggregateHasOneRowEvenOverNoInput() {
        Schema s = Schema.of("x");
        List<Row> rows = List.of(s.row("1"), s.row("2"), s.row(""), s.row("4"));
        Row r = Flow.from(rows)
                .aggregate(Agg.count(), Agg.sum("x"), Agg.max("x"))
                .toList()
                .get(0);
        assertEquals(4L, r.value("count"));
        assertEquals("7", r.get("sum(x)"));
        assertEquals("4", r.get("max(x)"));
        List<Row> none =
                Flow.from(List.<Row>of()).aggregate(Agg.count(), Agg.sum("x")).toList();
        assertEquals(1, none.size(), "one row, as SQL's SELECT count(*) FROM empty");
        assertEquals(0L, none.get(0).value("count"));
        assertNull(none.get(0).value("sum(x)"));
        assertTrue(Flow.from(rows).aggregate(Agg.count()).explain().contains("aggregate of all records"));
    }

    @Test
    void statsProfilesEveryColumnWithItsType() {
        Schema s = Schema.of("id", "price", "day", "us", "name", "nothing");
        List<Row> rows = List.of(
                s.row("3", "1.5", "2017-01-02", "12/31/2016", "b", ""),
                s.row("-7", "10", "2016-12-31", "01/01/2017", "ä", ""),
                s.row("12", "", "2017-02-30", "02/28/2017", "a", ""),
                s.row("0042", "2e1", "2017-03-01", "", "b", ""));
        Map<String, Row> by = new TreeMap<>();
        for (Row r : Flow.from(rows).stats().toList()) {
            by.put(r.get("field"), r);
        }
        assertEquals(List.of("day", "id", "name", "nothing", "price", "us"), new ArrayList<>(by.keySet()));
        Row id = by.get("id");
        assertEquals("integer", id.get("type"));
        assertEquals("-7", id.get("min"));
        assertEquals("42", id.get("max"), "integers compare and print as numbers");
        assertEquals("12.5", id.get("mean"));
        assertEquals("4", id.get("distinct"));
        Row price = by.get("price");
        assertEquals("number", price.get("type"));
        assertEquals("1.5", price.get("min"));
        assertEquals("2e1", price.get("max"), "a number's extreme is written as it was read");
        assertEquals("1", price.get("empty"));
        assertEquals("3", price.get("count"));
        assertEquals("text", by.get("day").get("type"), "the 30th of February is no date");
        Row us = by.get("us");
        assertEquals("date", us.get("type"));
        assertEquals("12/31/2016", us.get("min"));
        assertEquals("02/28/2017", us.get("max"));
        Row name = by.get("name");
        assertEquals("text", name.get("type"));
        assertEquals("a", name.get("min"));
        assertEquals("ä", name.get("max"));
        assertEquals("3", name.get("distinct"));
        assertEquals(null, name.get("mean"));
        assertEquals("empty", by.get("nothing").get("type"));
        assertEquals("4", by.get("nothing").get("empty"));
    }

    @Test
    void statsOfAParallelRunEqualsTheSequentialOne() throws Exception {
        Path csv = dir.resolve("in.csv");
        Random r = new Random(7);
        StringBuilder b = new StringBuilder("k,v,t\n");
        for (int i = 0; i < 200_000; i++) {
            b.append(r.nextInt(5000))
                    .append(',')
                    .append(r.nextInt(10) == 0 ? "" : Double.toString(r.nextInt(1000) / 8.0))
                    .append(',')
                    .append("w")
                    .append(r.nextInt(300))
                    .append('\n');
        }
        Files.writeString(csv, b);
        List<Row> one = Flow.from(dev.sluice.csv.Csv.read(csv)).stats().toList();
        List<Row> many =
                Flow.from(dev.sluice.csv.Csv.read(csv)).parallel(4).stats().toList();
        assertEquals(3, one.size());
        for (int i = 0; i < 3; i++) {
            for (String c : List.of("field", "type", "count", "empty", "min", "max", "min_length", "max_length")) {
                assertEquals(one.get(i).get(c), many.get(i).get(c), c);
            }
            if (one.get(i).get("mean") != null) {
                assertEquals(
                        Double.parseDouble(one.get(i).get("mean")),
                        Double.parseDouble(many.get(i).get("mean")),
                        1e-5);
                assertEquals(
                        Double.parseDouble(one.get(i).get("stddev")),
                        Double.parseDouble(many.get(i).get("stddev")),
                        1e-5);
            }
            long d1 = Long.parseLong(one.get(i).get("distinct"));
            long d2 = Long.parseLong(many.get(i).get("distinct"));
            assertTrue(Math.abs(d1 - d2) <= d1 / 50, d1 + " vs " + d2);
        }
        assertEquals("300", one.get(2).get("distinct"), "exact below 1,000 distinct values");
        long k = Long.parseLong(one.get(0).get("distinct"));
        assertTrue(Math.abs(k - 5000) < 200, "estimated above 1,000: " + k);
    }
}
