package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Joins against a nested-loop reference, every kind, at budgets that force the grace path, with nulls and skew. */
class JoinTest {
    @TempDir
    Path dir;

    private static List<Row> side(String prefix, int n, int keys, long seed) {
        Random r = new Random(seed);
        Schema s = Schema.of("plate", "state", prefix + "id", "note");
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String plate = r.nextInt(4) == 0 ? "HOT" : "P" + r.nextInt(keys);
            if (r.nextInt(30) == 0) {
                plate = r.nextBoolean() ? "" : null;
            }
            out.add(s.row(plate, r.nextBoolean() ? "NY" : "NJ", prefix + i, prefix + "-note-" + r.nextInt(9)));
        }
        return out;
    }

    private static boolean nullKey(Row r) {
        return r.get("plate") == null || r.get("plate").isEmpty();
    }

    private static boolean match(Row l, Row r) {
        return !nullKey(l)
                && !nullKey(r)
                && l.get("plate").equals(r.get("plate"))
                && l.get("state").equals(r.get("state"));
    }

    /** plate, state (once), lid, note, rid, note_right. */
    private static String combo(Row l, Row r) {
        String plate = l != null && !nullKey(l) ? l.get("plate") : r != null ? r.get("plate") : null;
        String state = l != null ? l.get("state") : r.get("state");
        if (l != null && nullKey(l) && r == null) {
            plate = l.get("plate");
        }
        return String.join(
                "|",
                String.valueOf(empty(plate)),
                state,
                l == null ? "null" : l.get("lid"),
                l == null ? "null" : l.get("note"),
                r == null ? "null" : r.get("rid"),
                r == null ? "null" : r.get("note"));
    }

    private static String empty(String s) {
        return s == null || s.isEmpty() ? "null" : s;
    }

    private static List<String> reference(List<Row> left, List<Row> right, Join.Type type) {
        List<String> out = new ArrayList<>();
        boolean[] rightMatched = new boolean[right.size()];
        for (Row l : left) {
            boolean any = false;
            for (int j = 0; j < right.size(); j++) {
                if (match(l, right.get(j))) {
                    any = true;
                    rightMatched[j] = true;
                    if (type != Join.Type.SEMI && type != Join.Type.ANTI) {
                        out.add(combo(l, right.get(j)));
                    }
                }
            }
            if (type == Join.Type.SEMI && any || type == Join.Type.ANTI && !any) {
                out.add(String.join("|", empty(l.get("plate")), l.get("state"), l.get("lid"), l.get("note")));
            }
            if (!any && (type == Join.Type.LEFT || type == Join.Type.FULL)) {
                out.add(combo(l, null));
            }
        }
        if (type == Join.Type.RIGHT || type == Join.Type.FULL) {
            for (int j = 0; j < right.size(); j++) {
                if (!rightMatched[j]) {
                    out.add(combo(null, right.get(j)));
                }
            }
        }
        return out;
    }

    private static List<String> texts(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            List<String> v = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                v.add(empty(r.get(i)));
            }
            out.add(String.join("|", v));
        }
        return out;
    }

    private static void same(List<String> expected, List<String> got, String what) {
        for (int i = 0; i < Math.min(expected.size(), got.size()); i++) {
            if (!expected.get(i).equals(got.get(i))) {
                throw new AssertionError(what + ": first difference at " + i + ": expected " + expected.get(i)
                        + " but got " + got.get(i));
            }
        }
        assertEquals(expected.size(), got.size(), what + ": row count");
    }

    private static List<String> sorted(List<String> l) {
        List<String> c = new ArrayList<>(l);
        c.sort(null);
        return c;
    }

    @Test
    void everyKindEqualsANestedLoopAtEveryBudget() throws Exception {
        List<Row> left = side("l", 3_000, 400, 1);
        List<Row> right = side("r", 2_000, 400, 2).stream()
                .map(r -> Row.of(
                        "plate", r.get("plate"), "state", r.get("state"), "rid", r.get("rid"), "note", r.get("note")))
                .toList();
        for (Join.Type type : Join.Type.values()) {
            List<String> expected = reference(left, right, type);
            for (long budget : new long[] {64 << 10, 0}) {
                List<Row> out = new ArrayList<>();
                RunSummary s = Flow.from(left)
                        .join(Flow.from(right), Join.on("plate", "state").type(type))
                        .to(Sinks.collect(out))
                        .run(LocalRunner.get().withMemory(budget).withTempDir(dir));
                List<String> got = texts(out);
                if (budget == 0) {
                    same(expected, got, type + ": in memory, the left input's order");
                } else {
                    same(sorted(expected), sorted(got), type + " at 64 KiB");
                    assertTrue(s.stage("join").spilledBytes() > 0, type + " spills at 64 KiB");
                }
                try (Stream<Path> files = Files.list(dir)) {
                    assertEquals(0, files.count(), "spill files outlived the run");
                }
            }
        }
    }

    /** A merge join of sorted inputs gives the hash join's rows, in key order, holding one key's right rows. */
    @Test
    void joinSortedEqualsTheNestedLoopOnSortedInputsAndChecksTheirOrder() {
        List<Row> left =
                Flow.from(side("l", 3_000, 400, 3)).sortBy("plate", "state").toList();
        List<Row> right = Flow.from(side("r", 2_000, 400, 4))
                .map(r -> Row.of(
                        "plate", r.get("plate"), "state", r.get("state"), "rid", r.get("rid"), "note", r.get("note")))
                .sortBy("plate", "state")
                .toList();
        for (Join.Type type : Join.Type.values()) {
            List<String> expected = reference(left, right, type);
            for (long budget : new long[] {64 << 10, 0}) {
                List<Row> out = new ArrayList<>();
                RunSummary s = Flow.from(left)
                        .joinSorted(Flow.from(right), Join.on("plate", "state").type(type))
                        .to(Sinks.collect(out))
                        .run(LocalRunner.get().withMemory(budget).withTempDir(dir));
                same(sorted(expected), sorted(texts(out)), type + " merge join, budget " + budget);
                assertEquals(0, s.spilledBytes(), "a merge join never spills");
                if (type == Join.Type.INNER || type == Join.Type.LEFT || type == Join.Type.SEMI) {
                    same(expected, texts(out), type + ": the left input's order, which is the key order");
                }
            }
        }
        assertTrue(Flow.from(left)
                .joinSorted(Flow.from(right), Join.on("plate"))
                .explain()
                .contains("merge join"));
        // out of order: the record is named, with its side
        List<Row> shuffled = new ArrayList<>(right);
        java.util.Collections.swap(shuffled, 10, 1500);
        Exception e = assertThrows(
                SluiceException.class,
                () -> Flow.from(left)
                        .joinSorted(Flow.from(shuffled), Join.on("plate", "state"))
                        .count());
        assertTrue(e.getMessage().contains("right input is not sorted by [plate, state]"), e.getMessage());
        assertTrue(e.getMessage().contains("record 12"), e.getMessage());
    }

    @Test
    void joinSortedStreamsAnEndlessLeftAndRefusesAKeyTooBigForItsBudget() {
        Flow<Row> ticks = Flow.generate(out -> {
            for (long i = 0; ; i++) {
                out.emit(Row.of("k", String.format("%08d", i / 3), "tick", Long.toString(i)));
            }
        });
        List<Row> right = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            right.add(Row.of("k", String.format("%08d", i * 2), "even", "yes"));
        }
        List<Row> got =
                ticks.joinSorted(Flow.from(right), Join.on("k")).limit(12).toList();
        assertEquals(12, got.size());
        assertEquals("00000000", got.get(0).get("k"));
        assertEquals("00000002", got.get(3).get("k"), "key 1 has no match");
        List<Row> hot = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            hot.add(Row.of("k", "HOT", "pad", "x".repeat(100)));
        }
        Exception e = assertThrows(
                SluiceException.class,
                () -> Flow.from(List.of(Row.of("k", "HOT")))
                        .joinSorted(Flow.from(hot), Join.on("k"))
                        .to(Sinks.collect(new ArrayList<>()))
                        .run(LocalRunner.get().withMemory(256 << 10)));
        assertTrue(
                e.getMessage().contains("the right rows of one key need more than the memory budget"), e.getMessage());
    }

    @Test
    void columnsDifferentKeyNamesAndClashes() {
        Flow<Row> tickets = Flow.of(Row.of("plate", "A1", "fine", "50"), Row.of("plate", "B2", "fine", "20"));
        Flow<Row> regs = Flow.of(Row.of("tag", "A1", "fine", "x", "owner", "Ann"));
        List<Row> inner =
                tickets.join(regs, Join.on(List.of("plate"), List.of("tag"))).toList();
        assertEquals(
                List.of("plate", "fine", "tag", "fine_right", "owner"),
                inner.get(0).schema().names());
        assertEquals(List.of("A1", "50", "A1", "x", "Ann"), inner.get(0).values());
        List<Row> right = regs.join(
                        tickets, Join.on(List.of("tag"), List.of("plate")).right())
                .toList();
        assertEquals(2, right.size());
        assertEquals(null, right.get(1).get("tag"));
        assertEquals("B2", right.get(1).get("plate"));
        List<Row> full = Flow.of(Row.of("k", "1", "a", "x"))
                .join(Flow.of(Row.of("k", "2", "b", "y")), Join.on("k").full())
                .toList();
        assertEquals(List.of("k", "a", "b"), full.get(0).schema().names());
        assertEquals(
                List.of(List.of("1", "x", ""), List.of("2", "", "y")),
                full.stream()
                        .map(r -> List.of(r.getOr("k", ""), r.getOr("a", ""), r.getOr("b", "")))
                        .toList());
    }

    @Test
    void theRightSideMustEndTheLeftMayNot() {
        Flow<Row> endless = Flow.generate("events", out -> {
            for (long i = 0; ; i++) {
                out.emit(Row.of("k", Long.toString(i % 3), "i", Long.toString(i)));
            }
        });
        Flow<Row> names = Flow.of(Row.of("k", "0", "name", "zero"), Row.of("k", "1", "name", "one"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> names.join(endless, Join.on("k")));
        assertTrue(
                e.getMessage()
                        .startsWith("join needs all of input 2 before it can emit, but its input 2 from events "
                                + "may be endless"),
                e.getMessage());
        List<Row> enriched = endless.join(names, Join.on("k")).limit(4).toList();
        assertEquals(
                List.of("zero", "one", "zero", "one"),
                enriched.stream().map(r -> r.get("name")).toList());
        assertTrue(endless.join(names, Join.on("k")).explain().contains("inner join on k"));
    }

    @Test
    void joinedCsvRowsAreWrittenAsTheirValuesWouldBe() throws Exception {
        Path l = dir.resolve("l.csv");
        Path r = dir.resolve("r.csv");
        Files.writeString(l, "k,a,b\n1,\"x, y\",plain\n2,\"quoted\",\"say \"\"hi\"\"\"\n3,,\n");
        Files.writeString(r, "k,c,d\n1,\"multi\nline\",caf\u00e9\n2,\"needless\",\"\"\n3,\"a\"\"b\",z\n");
        Path viaView = dir.resolve("view.csv");
        Path viaValues = dir.resolve("values.csv");
        Flow<Row> joined =
                Flow.from(dev.sluice.csv.Csv.read(l)).join(Flow.from(dev.sluice.csv.Csv.read(r)), Join.on("k"));
        joined.to(dev.sluice.csv.Csv.write(viaView)).run();
        joined.map(x -> Row.of(x.schema(), x.values().toArray(), null))
                .to(dev.sluice.csv.Csv.write(viaValues))
                .run();
        assertEquals(Files.readString(viaValues), Files.readString(viaView));
        assertTrue(Files.readString(viaView).startsWith("k,a,b,c,d\n1,\"x, y\",plain,\"multi\nline\",caf\u00e9\n"));
    }
}
