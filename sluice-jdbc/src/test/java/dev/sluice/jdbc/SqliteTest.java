package dev.sluice.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Flow;
import dev.sluice.Row;
import dev.sluice.csv.Csv;
import dev.sluice.testdata.SharedData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQLite, the embedded default, including the real Chinook sample database from ../shared/data. */
class SqliteTest {

    @Test
    void chinookCountsAndJoins() {
        Path file = SharedData.path("relational/chinook/Chinook_Sqlite.sqlite");
        Database db = Jdbc.connect("jdbc:sqlite:" + file);
        assertEquals(2240, Flow.from(db.query("SELECT * FROM InvoiceLine")).count());
        assertEquals(
                3503,
                Flow.from(db.table("Track").readByKey("TrackId").withPageSize(500))
                        .count());
        Row top = Flow.from(db.query("SELECT c.Country, count(*) AS n FROM Invoice i JOIN Customer c "
                        + "ON c.CustomerId = i.CustomerId GROUP BY c.Country ORDER BY n DESC, c.Country LIMIT 1"))
                .first()
                .orElseThrow();
        assertEquals("USA", top.get("Country"));
        assertEquals(
                8715,
                Flow.from(db.table("PlaylistTrack")
                                .readByKey("PlaylistId", "TrackId")
                                .withPageSize(999))
                        .count(),
                "a composite key");
        List<Integer> ids = Flow.from(db.table("Track").readByKey("TrackId"))
                .parallel(2)
                .map(r -> r.getInt("TrackId"))
                .toList();
        assertEquals(3503, ids.size());
        assertEquals(1, ids.get(0));
    }

    @Test
    void keysetRefusesNullKeysRatherThanLoseRows(@TempDir Path dir) throws Exception {
        Database db = Jdbc.connect("jdbc:sqlite:" + dir.resolve("n.db"));
        try (var c = db.open();
                var st = c.createStatement()) {
            st.execute("CREATE TABLE t (k INTEGER UNIQUE, v TEXT)");
            st.execute("INSERT INTO t VALUES (NULL, 'a'), (1, 'b'), (2, 'c')");
        }
        dev.sluice.DataException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.sluice.DataException.class,
                () -> Flow.from(db.table("t").readByKey("k")).count());
        assertTrue(e.getMessage().contains("key column 'k' is NULL"), e.getMessage());
    }

    @Test
    void loadUpsertAndRoundTrip(@TempDir Path dir) {
        Database db = Jdbc.connect("jdbc:sqlite:" + dir.resolve("t.db"));
        Path in = SharedData.path("nyc-parking/pv_fy2017_2099rows_excel-mangled_crlf_TsaiMandy.csv");
        Flow.from(Csv.read(in))
                .to(db.table("tickets").write().withCreateTable(true))
                .run();
        assertEquals(
                Flow.from(Csv.read(in)).toList(),
                Flow.from(db.query("SELECT * FROM tickets")).toList(),
                "the mojibake and Excel's mangling survive exactly");
        Flow.of(Row.of("k", "1", "v", "a"), Row.of("k", "2", "v", "b"))
                .to(db.table("kv").write().withCreateTable(true).withUpsert("k"))
                .run();
        Flow.of(Row.of("k", "1", "v", "c"))
                .to(db.table("kv").write().withUpsert("k"))
                .run();
        assertEquals(
                List.of("1=c", "2=b"),
                Flow.from(db.query("SELECT k || '=' || v AS s FROM kv ORDER BY k"))
                        .map(r -> r.get("s"))
                        .toList());
        assertTrue(Flow.from(db.query("SELECT * FROM tickets")).explain().contains("query(SELECT * FROM tickets)"));
    }

    /** Database sources and sinks survive serialization (as a plan sent to another runner would) and work the same. */
    @Test
    void sourcesAndSinksSurviveSerialization(@TempDir Path dir) throws Exception {
        Database db = Jdbc.connect("jdbc:sqlite:" + dir.resolve("s.db"));
        TableSink sink = roundTrip(
                db.table("kv").write().withCreateTable(true).withUpsert("k").withBatchSize(2));
        Flow.of(Row.of("k", "1", "v", "a"), Row.of("k", "2", "v", "b"), Row.of("k", "3", "v", "c"))
                .to(sink)
                .run();
        List<String> byKey = Flow.from(roundTrip(db.table("kv").readByKey("k").withPageSize(2)))
                .map(r -> r.get("k") + "=" + r.get("v"))
                .toList();
        assertEquals(List.of("1=a", "2=b", "3=c"), byKey);
        List<String> byQuery = Flow.from(roundTrip(db.query("SELECT v FROM kv WHERE k > ? ORDER BY k", 1)))
                .map(r -> r.get("v"))
                .toList();
        assertEquals(List.of("b", "c"), byQuery);
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T o) throws Exception {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        try (java.io.ObjectInputStream in =
                new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(b.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    /** A keyset read reports the last key as its position; a new read resumes after it with exactly the rest. */
    @Test
    void keysetReadsResumeAfterTheirLastKey(@TempDir Path dir) throws Exception {
        Database db = Jdbc.connect("jdbc:sqlite:" + dir.resolve("k.db"));
        try (var c = db.open();
                var st = c.createStatement()) {
            st.execute("CREATE TABLE ev (shard TEXT NOT NULL, seq INTEGER NOT NULL, v TEXT, PRIMARY KEY (shard, seq))");
            for (int i = 0; i < 60; i++) {
                st.execute("INSERT INTO ev VALUES ('s" + (i % 3) + "', " + i + ", 'v" + i + "')");
            }
        }
        dev.sluice.Source<Row> source = db.table("ev").readByKey("shard", "seq").withPageSize(7);
        dev.sluice.SourceContext ctx = new dev.sluice.SourceContext() {
            @Override
            public void reject(dev.sluice.Location where, String rawText, String reason, Throwable cause) {
                throw new dev.sluice.DataException(reason);
            }

            @Override
            public void skip(dev.sluice.Location where, String rawText, String reason) {}
        };
        List<String> whole = read(source.open(ctx));
        assertEquals(60, whole.size());
        for (int i = 0; i <= 60; i += 5) {
            dev.sluice.Position at;
            try (dev.sluice.SourceReader<Row> r = source.open(ctx)) {
                for (int k = 0; k < i; k++) {
                    r.next();
                }
                at = roundTrip(r.position());
            }
            assertEquals(whole.subList(i, 60), read(source.open(ctx, at)), "after " + i + ": " + at);
        }
    }

    private static List<String> read(dev.sluice.SourceReader<Row> r) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (r) {
            Row row;
            while ((row = r.next()) != null) {
                out.add(row.values() + " @ " + r.location());
            }
        }
        return out;
    }

    /** With replace (one transaction), a prepared write is invisible until committed, and abort keeps the old rows. */
    @Test
    void theCommitBarrierOfAReplacingLoad(@TempDir Path dir) throws Exception {
        Database db = Jdbc.connect("jdbc:sqlite:" + dir.resolve("b.db"));
        Flow.of(Row.of("k", "old"))
                .to(db.table("t").write().withCreateTable(true))
                .run();
        dev.sluice.SinkWriter<Row> w = db.table("t").write().withReplace(true).open();
        w.write(Row.of("k", "new1"));
        w.write(Row.of("k", "new2"));
        java.io.Serializable token = roundTrip(w.prepare());
        assertEquals(
                List.of("old"),
                Flow.from(db.query("SELECT k FROM t")).map(r -> r.get("k")).toList(),
                "prepared, not committed");
        w.commit(token);
        w.commit(token);
        w.close(true);
        assertEquals(
                List.of("new1", "new2"),
                Flow.from(db.query("SELECT k FROM t ORDER BY k"))
                        .map(r -> r.get("k"))
                        .toList());
        dev.sluice.SinkWriter<Row> a = db.table("t").write().withReplace(true).open();
        a.write(Row.of("k", "lost"));
        a.abort(a.prepare());
        a.close(false);
        assertEquals(
                List.of("new1", "new2"),
                Flow.from(db.query("SELECT k FROM t ORDER BY k"))
                        .map(r -> r.get("k"))
                        .toList(),
                "aborted: the old rows stay");
    }

    /** Parallel reads split a table by key ranges of any orderable key: text, composite; every row once, in order. */
    @Test
    void parallelReadsSplitTextAndCompositeKeys(@TempDir Path dir) throws Exception {
        Database db = Jdbc.connect("jdbc:sqlite:" + dir.resolve("p.db"));
        Flow.range(0, 50_000)
                .map(i -> Row.of(
                        "plate",
                        String.format("P%06d", (i * 7919) % 50_000),
                        "state",
                        i % 3 == 0 ? "NJ" : "NY",
                        "n",
                        Long.toString(i)))
                .to(db.table("t").write().withCreateTable(true).withBatchSize(5_000))
                .run();
        for (String[] key : new String[][] {{"plate"}, {"state", "plate"}}) {
            List<String> seq =
                    Flow.from(db.table("t").readByKey(key)).map(r -> r.get("n")).toList();
            List<String> par = Flow.from(db.table("t").readByKey(key))
                    .parallel(2)
                    .map(r -> r.get("n"))
                    .toList();
            assertEquals(50_000, seq.size());
            assertEquals(seq, par, "key " + String.join(",", key) + ": the same rows, in key order");
            // the SPI contract: the splits, read one after another, are exactly the sequential read
            KeysetSource source = db.table("t").readByKey(key);
            List<KeysetSource.KeyRange> splits = source.splits(null, dev.sluice.spi.SplitHint.of(2));
            assertTrue(splits.size() >= 3, "split into " + splits.size() + " key ranges");
            List<String> bySplit = new java.util.ArrayList<>();
            long before = 0;
            for (KeysetSource.KeyRange split : splits) {
                KeysetSource.KeyRange shipped = dev.sluice.testing.Serialization.roundTrip(split);
                try (dev.sluice.SourceReader<Row> r = source.openSplit(null, shipped, before)) {
                    for (Row row; (row = r.next()) != null; ) {
                        bySplit.add(row.get("n"));
                        assertEquals(before + 1, row.origin().record(), "records numbered across splits");
                        before++;
                    }
                }
            }
            assertEquals(seq, bySplit, "key " + String.join(",", key));
        }
    }
}
