package dev.sluice.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.Agg;
import dev.sluice.Flow;
import dev.sluice.LocalRunner;
import dev.sluice.Row;
import dev.sluice.Sinks;
import dev.sluice.testdata.SharedData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Group-bys over the real Chinook database, done by Sluice and by SQLite's own SQL, compared as multisets (numbers
 * to six decimals: SQLite adds REALs in floating point, Sluice exactly). With a tiny budget, so Sluice spills.
 */
class ChinookGroupByTest {
    private final Database db =
            Jdbc.connect("jdbc:sqlite:" + SharedData.path("relational/chinook/Chinook_Sqlite.sqlite"));

    private void same(String sql, String table, String[] keys, Agg... aggs) {
        List<String> theirs = Multisets.rows(Flow.from(db.query(sql)).toList());
        for (long budget : new long[] {64 << 10, 0}) {
            List<Row> ours = new ArrayList<>();
            Flow.from(db.query("SELECT * FROM " + table))
                    .groupBy(keys)
                    .aggregate(aggs)
                    .to(Sinks.collect(ours))
                    .run(LocalRunner.get().withMemory(budget));
            assertEquals(theirs, Multisets.rows(ours), sql + " (budget " + budget + ")");
        }
    }

    @Test
    void invoiceLinesPerInvoice() {
        same(
                "SELECT InvoiceId, count(*), sum(Quantity), sum(UnitPrice), min(UnitPrice), max(TrackId), avg(Quantity)"
                        + " FROM InvoiceLine GROUP BY InvoiceId",
                "InvoiceLine",
                new String[] {"InvoiceId"},
                Agg.count(),
                Agg.sum("Quantity"),
                Agg.sum("UnitPrice"),
                Agg.min("UnitPrice"),
                Agg.max("TrackId"),
                Agg.avg("Quantity"));
    }

    @Test
    void tracksPerAlbumAndMediaTypeWithNullsAndText() {
        same(
                "SELECT AlbumId, MediaTypeId, count(*), count(Composer), min(Name), max(Name), sum(Milliseconds), "
                        + "avg(Bytes), count(DISTINCT GenreId), max(Composer) FROM Track GROUP BY AlbumId, MediaTypeId",
                "Track",
                new String[] {"AlbumId", "MediaTypeId"},
                Agg.count(),
                Agg.count("Composer"),
                Agg.min("Name"),
                Agg.max("Name"),
                Agg.sum("Milliseconds"),
                Agg.avg("Bytes"),
                Agg.countDistinct("GenreId"),
                Agg.max("Composer"));
    }

    @Test
    void customersPerCountryAndStateWhereStatesAreOftenNull() {
        same(
                "SELECT Country, State, count(*), count(Company), min(City), max(SupportRepId) FROM Customer "
                        + "GROUP BY Country, State",
                "Customer",
                new String[] {"Country", "State"},
                Agg.count(),
                Agg.count("Company"),
                Agg.min("City"),
                Agg.max("SupportRepId"));
    }

    @Test
    void invoicesPerCustomerAndYear() {
        same(
                "SELECT CustomerId, substr(InvoiceDate, 1, 4) AS y, count(*), sum(Total), max(BillingCity) FROM Invoice"
                        + " GROUP BY CustomerId, y",
                "(SELECT *, substr(InvoiceDate, 1, 4) AS y FROM Invoice)",
                new String[] {"CustomerId", "y"},
                Agg.count(),
                Agg.sum("Total"),
                Agg.max("BillingCity"));
    }
}
