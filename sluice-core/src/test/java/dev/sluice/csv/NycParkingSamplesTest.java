package dev.sluice.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.DataException;
import dev.sluice.ErrorPolicy;
import dev.sluice.Flow;
import dev.sluice.Rejected;
import dev.sluice.Row;
import dev.sluice.RunSummary;
import dev.sluice.Sinks;
import dev.sluice.testdata.SharedData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real NYC parking-violation samples in ../shared/data/nyc-parking parse. */
class NycParkingSamplesTest {

    private static Path sample(String name) {
        return SharedData.path("nyc-parking/" + name);
    }

    @Test
    void fy2017MainSample() {
        List<Row> rows = Flow.from(Csv.read(sample("pv_fy2017_4999rows_CreativePenguin.csv")))
                .toList();
        assertEquals(4999, rows.size());
        Row first = rows.get(0);
        assertEquals(43, first.size());
        assertEquals("Days Parking In Effect    ", first.schema().name(30));
        assertEquals("5092469481", first.get("Summons Number"));
        assertEquals("0143A", first.get("Violation Time"), "leading zeros kept");
        assertTrue(rows.stream().anyMatch(r -> "64-No STD Ex Con/DPL, D/S Dec".equals(r.get("Violation Description"))));
        assertEquals(4999, rows.get(4998).origin().record());
        assertEquals(5000, rows.get(4998).origin().line());
    }

    @Test
    void excelMangledCrlfSample() {
        List<Row> rows = Flow.from(Csv.read(sample("pv_fy2017_2099rows_excel-mangled_crlf_TsaiMandy.csv")))
                .toList();
        assertEquals(2099, rows.size());
        assertTrue(rows.stream().allMatch(r -> r.size() == 43));
        assertTrue(rows.stream().anyMatch(r -> r.toString().contains("\u00a4\u00eb")), "the mojibake is decoded as-is");
        assertTrue(rows.stream().noneMatch(r -> r.get("Violation Description").contains("\r")), "CRLF is a line end");
    }

    @Test
    void fy2018LinesQuotedWholeAreRaggedRowsWithTheirLineNumbers() {
        Path file = sample("pv_fy2018_1268rows_laraAqel.csv");
        DataException e = assertThrows(
                DataException.class, () -> Flow.from(Csv.read(file)).count());
        assertEquals(
                "pv_fy2018_1268rows_laraAqel.csv line 787: record 786 has 1 field, but the header has 43",
                e.getMessage());

        List<Rejected> dead = new ArrayList<>();
        RunSummary s = Flow.from(Csv.read(file))
                .onError(ErrorPolicy.deadLetter(Sinks.collect(dead)))
                .run();
        assertEquals(1266, s.recordsOut());
        assertEquals(2, s.rejected());
        assertEquals(List.of(787L, 887L), dead.stream().map(Rejected::line).toList());
        assertTrue(
                dead.get(0).rawText().startsWith("\"1404853388,MEG4076,"),
                dead.get(0).rawText());
    }

    @Test
    void fy2014Has51Columns() {
        List<Row> rows = Flow.from(Csv.read(sample("pv_fy2014_51col_4999rows_hanukathas.csv")))
                .toList();
        assertEquals(4999, rows.size());
        assertEquals(51, rows.get(0).size());
        assertEquals("Community Council ", rows.get(0).schema().name(46));
        assertTrue(rows.stream().allMatch(r -> r.get("BBL").isEmpty()));
        assertTrue(rows.stream().anyMatch(r -> r.toString().contains("760 BROADWAY ,BROOKL")));
    }
}
