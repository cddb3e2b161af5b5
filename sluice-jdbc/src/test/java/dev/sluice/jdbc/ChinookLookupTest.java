package dev.sluice.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Flow;
import dev.sluice.Row;
import dev.sluice.spi.LookupSource;
import dev.sluice.testdata.SharedData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Lookups against the real Chinook database: the same rows as SQLite's own LEFT JOIN, fetched with one query per
 * batch of distinct keys, never one per row.
 */
class ChinookLookupTest {
    private final Database db =
            Jdbc.connect("jdbc:sqlite:" + SharedData.path("relational/chinook/Chinook_Sqlite.sqlite"));

    /** Counts the calls and the keys of each, around a real lookup. */
    static final class Counting implements LookupSource {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger CALLS = new AtomicInteger();
        static final List<Integer> SIZES = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final LookupSource inner;

        Counting(LookupSource inner) {
            this.inner = inner;
        }

        @Override
        public List<String> keyColumns() {
            return inner.keyColumns();
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public Fetcher open() throws Exception {
            Fetcher f = inner.open();
            return new Fetcher() {
                @Override
                public Map<List<Object>, List<Row>> fetch(List<List<Object>> keys) throws Exception {
                    CALLS.incrementAndGet();
                    SIZES.add(keys.size());
                    return f.fetch(keys);
                }

                @Override
                public void close() throws Exception {
                    f.close();
                }
            };
        }
    }

    private static List<String> rows(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(String.join("|", r.values()));
        }
        out.sort(null);
        return out;
    }

    @Test
    void invoiceLinesEnrichedWithTheirTracksInBatchesOfDistinctKeys() {
        List<Row> ours = Flow.from(db.query("SELECT * FROM InvoiceLine"))
                .lookup(new Counting(db.table("Track").lookup("TrackId")), "TrackId")
                .toList();
        List<Row> theirs = Flow.from(db.query("SELECT il.*, t.Name, t.AlbumId, t.MediaTypeId, t.GenreId, t.Composer, "
                        + "t.Milliseconds, t.Bytes, t.UnitPrice AS UnitPrice_right FROM InvoiceLine il "
                        + "LEFT JOIN Track t ON t.TrackId = il.TrackId"))
                .toList();
        assertEquals(2240, ours.size());
        assertEquals(rows(theirs), rows(ours));
        assertEquals(
                List.of(
                        "InvoiceLineId",
                        "InvoiceId",
                        "TrackId",
                        "UnitPrice",
                        "Quantity",
                        "Name",
                        "AlbumId",
                        "MediaTypeId",
                        "GenreId",
                        "Composer",
                        "Milliseconds",
                        "Bytes",
                        "UnitPrice_right"),
                ours.get(0).schema().names());
        // 2,240 rows, 1,984 distinct tracks: three calls (1,000 rows a batch, distinct keys only, the cache in between)
        assertEquals(3, Counting.CALLS.get(), Counting.SIZES.toString());
        assertTrue(Counting.SIZES.stream().allMatch(n -> n <= 1000), Counting.SIZES.toString());
    }

    @Test
    void innerDropsRowsWithoutAMatchAndCompositeKeysWork() {
        List<Row> employees = Flow.from(db.query("SELECT CustomerId, FirstName, Country FROM Customer"))
                .map(r -> r.with("key_country", r.get("Country")))
                .lookup(
                        db.table("Customer").lookup("CustomerId", "Country"),
                        true,
                        7,
                        1 << 20,
                        "CustomerId",
                        "key_country")
                .toList();
        assertEquals(59, employees.size());
        assertTrue(employees.stream().allMatch(r -> r.get("FirstName").equals(r.get("FirstName_right"))));
    }
}
