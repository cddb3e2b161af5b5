package dev.sluice.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Flow;
import dev.sluice.Join;
import dev.sluice.LocalRunner;
import dev.sluice.Row;
import dev.sluice.Sinks;
import dev.sluice.testdata.SharedData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Joins over the real Chinook database, done by Sluice and by SQLite's own SQL, compared as multisets: inner, left,
 * full, semi (EXISTS), anti (NOT EXISTS), a composite key; in memory and partitioned (a 64 KiB budget).
 */
class ChinookJoinTest {
    private final Database db =
            Jdbc.connect("jdbc:sqlite:" + SharedData.path("relational/chinook/Chinook_Sqlite.sqlite"));

    /** The right table's columns but {@code except}, qualified with {@code alias}. */
    private String columns(String table, String alias, String... except) {
        Row first = Flow.from(db.query("SELECT * FROM " + table + " LIMIT 1"))
                .first()
                .orElseThrow();
        List<String> cols = new ArrayList<>();
        for (String c : first.schema().names()) {
            if (!List.of(except).contains(c)) {
                cols.add(alias + "." + c);
            }
        }
        return String.join(", ", cols);
    }

    private void same(String sql, String left, String right, Join on) {
        List<String> theirs = Multisets.rows(Flow.from(db.query(sql)).toList());
        assertTrue(theirs.size() > 0, sql);
        for (long budget : new long[] {64 << 10, 0}) {
            List<Row> ours = new ArrayList<>();
            Flow.from(db.query("SELECT * FROM " + left))
                    .join(Flow.from(db.query("SELECT * FROM " + right)), on)
                    .to(Sinks.collect(ours))
                    .run(LocalRunner.get().withMemory(budget));
            assertEquals(theirs, Multisets.rows(ours), sql + " (budget " + budget + ")");
        }
    }

    @Test
    void innerOnASharedColumn() {
        same(
                "SELECT t.*, " + columns("Album", "a", "AlbumId") + " FROM Track t JOIN Album a USING (AlbumId)",
                "Track",
                "Album",
                Join.on("AlbumId"));
    }

    @Test
    void leftKeepsArtistsWithoutAlbums() {
        same(
                "SELECT ar.*, " + columns("Album", "al", "ArtistId")
                        + " FROM Artist ar LEFT JOIN Album al ON al.ArtistId = ar.ArtistId",
                "Artist",
                "Album",
                Join.on("ArtistId").left());
    }

    @Test
    void fullOnDifferentNamesWithClashingColumns() {
        same(
                "SELECT c.*, e.* FROM Customer c FULL JOIN Employee e ON c.SupportRepId = e.EmployeeId",
                "Customer",
                "Employee",
                Join.on(List.of("SupportRepId"), List.of("EmployeeId")).full());
    }

    @Test
    void semiAndAntiAreExistsAndNotExists() {
        same(
                "SELECT * FROM Track t WHERE EXISTS (SELECT 1 FROM InvoiceLine il WHERE il.TrackId = t.TrackId)",
                "Track",
                "InvoiceLine",
                Join.on("TrackId").semi());
        same(
                "SELECT * FROM Track t WHERE NOT EXISTS (SELECT 1 FROM InvoiceLine il WHERE il.TrackId = t.TrackId)",
                "Track",
                "InvoiceLine",
                Join.on("TrackId").anti());
        // Composer is often NULL: a null key never matches, and anti keeps it
        same(
                "SELECT * FROM Track t WHERE NOT EXISTS (SELECT 1 FROM Track u WHERE u.Composer = t.Composer AND "
                        + "u.TrackId <> t.TrackId AND u.AlbumId = t.AlbumId + 1000000)",
                "Track",
                "(SELECT Composer FROM Track WHERE 0)",
                Join.on("Composer").anti());
    }

    @Test
    void aCompositeKey() {
        same(
                "SELECT i.*, " + columns("Customer", "c", "CustomerId")
                        + " FROM Invoice i JOIN Customer c ON c.CustomerId = i.CustomerId AND c.Country = i.BillingCountry",
                "Invoice",
                "Customer",
                Join.on(List.of("CustomerId", "BillingCountry"), List.of("CustomerId", "Country")));
    }
}
