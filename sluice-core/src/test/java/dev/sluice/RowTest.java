package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.csv.Csv;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowTest {

    private static Row csvRow(String csv) {
        return Flow.from(Csv.parse(csv)).first().orElseThrow();
    }

    @Test
    void accessByNameAndIndex() {
        Row r = csvRow("a,b,c\n1,two,\"3,3\"\n");
        assertEquals(List.of("a", "b", "c"), r.schema().names());
        assertEquals("two", r.get("b"));
        assertEquals("two", r.get(1));
        assertEquals("3,3", r.get("c"));
        assertEquals(3, r.size());
        assertEquals("{a=1, b=two, c=3,3}", r.toString());
    }

    @Test
    void typedGetters() {
        Row r = Row.of(
                "i",
                "42",
                "l",
                "9000000000",
                "d",
                "2.5",
                "dec",
                "0010.50",
                "b",
                "Yes",
                "date",
                "07/10/2016",
                "ts",
                "2017-03-14T08:30:00.000",
                "iso",
                "2017-03-14");
        assertEquals(42, r.getInt("i"));
        assertEquals(9_000_000_000L, r.getLong("l"));
        assertEquals(2.5, r.getDouble("d"));
        assertEquals(new BigDecimal("10.50"), r.getDecimal("dec"));
        assertEquals("10.50", r.getDecimal("dec").toPlainString());
        assertTrue(r.getBoolean("b"));
        assertEquals(LocalDate.of(2016, 7, 10), r.getDate("date", "MM/dd/yyyy"));
        assertEquals(LocalDateTime.of(2017, 3, 14, 8, 30), r.getDateTime("ts", "yyyy-MM-dd'T'HH:mm:ss.SSS"));
        assertEquals(LocalDate.of(2017, 3, 14), r.getDate("iso"));
    }

    @Test
    void typedGetterErrorsNameColumnValueAndOrigin() {
        Row r = Flow.from(Csv.parse("Issue Date,n\n2017-02-30,x\n")).first().orElseThrow();
        DataException e = assertThrows(DataException.class, () -> r.getDate("Issue Date"));
        assertEquals(
                "column 'Issue Date' value '2017-02-30' is not a date (pattern yyyy-MM-dd) (text line 2)",
                e.getMessage());
        assertEquals(2, e.location().line());
        assertEquals(
                "column 'n' value 'x' is not an int (text line 2)",
                assertThrows(DataException.class, () -> r.getInt("n")).getMessage());
        assertEquals(
                "column 'n' value 'x' is not a boolean (text line 2)",
                assertThrows(DataException.class, () -> r.getBoolean("n")).getMessage());
    }

    @Test
    void unknownColumnsListTheColumnsAndSpotTrailingSpaces() {
        Row r = Row.of("Days Parking In Effect    ", "BBBBBBB", "Plate ID", "X");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> r.get("Days Parking In Effect"));
        assertEquals(
                "no column 'Days Parking In Effect'; did you mean 'Days Parking In Effect    ' (note the spaces); "
                        + "columns are ['Days Parking In Effect    ', 'Plate ID']",
                e.getMessage());
        assertEquals("BBBBBBB", r.get("Days Parking In Effect    "));
    }

    @Test
    void absentVersusEmpty() {
        Row r = Row.of("a", "", "b", null);
        assertTrue(r.isEmpty("a"));
        assertFalse(r.isAbsent("a"));
        assertTrue(r.isAbsent("b"));
        assertFalse(r.isEmpty("b"));
        assertNull(r.get("b"));
        assertEquals("dflt", r.getOr("b", "dflt"));
        assertEquals(
                "column 'b' is absent, expected an int",
                assertThrows(DataException.class, () -> r.getInt("b")).getMessage());
        assertFalse(r.is("b", ""));
        assertTrue(r.is("a", ""));
    }

    @Test
    void isComparesWithoutDecodingAndHandlesEveryCase() {
        Row r = csvRow("make,city,q,e\nFORD,Zürich,\"a\"\"b\",\n");
        assertTrue(r.is("make", "FORD"));
        assertFalse(r.is("make", "FOR"));
        assertFalse(r.is("make", "FORDS"));
        assertFalse(r.is("make", "ford"));
        assertTrue(r.is("city", "Zürich"));
        assertFalse(r.is("city", "Zurich"));
        assertTrue(r.is("q", "a\"b"));
        assertTrue(r.is("e", ""));
    }

    @Test
    void withAndSelectMakeNewRowsAndKeepTheOrigin() {
        Row r = csvRow("a,b\n1,2\n");
        Row w = r.with("c", 3);
        assertEquals(List.of("a", "b", "c"), w.schema().names());
        assertEquals("3", w.get("c"));
        assertEquals(3, w.getInt("c"));
        assertEquals(List.of("1", "2"), r.values());
        Row replaced = r.with("a", "x");
        assertEquals(List.of("x", "2"), replaced.values());
        Row s = w.select("c", "a");
        assertEquals(List.of("c", "a"), s.schema().names());
        assertEquals(2, s.origin().line());
        assertTrue(r.with("c", 1).schema() == r.with("c", 2).schema(), "appended schemas are shared");
    }

    @Test
    void rowsCompareByNamesAndValues() {
        assertEquals(Row.of("a", "1"), csvRow("a\n1\n"));
        assertEquals(Row.of("a", "1").hashCode(), csvRow("a\n1\n").hashCode());
    }

    enum Plate {
        PAS,
        COM
    }

    record Ticket(
            @Column("Summons Number") long summons,
            @Column("Registration State") String state,
            @Column("Days Parking In Effect    ") String days,

            @Column(value = "Issue Date", pattern = "MM/dd/yyyy")
            LocalDate issued,

            Plate plateType,
            String street) {}

    @Test
    void bindsRowsToRecordsAndBack() {
        Row r = Row.of(
                "Summons Number",
                "5092469481",
                "Registration State",
                "NY",
                "Days Parking In Effect    ",
                "BBBBBBB",
                "Issue Date",
                "07/10/2016",
                "Plate Type",
                "PAS",
                "Street",
                "ALLERTON AVE");
        Ticket t = r.as(Ticket.class);
        assertEquals(new Ticket(5092469481L, "NY", "BBBBBBB", LocalDate.of(2016, 7, 10), Plate.PAS, "ALLERTON AVE"), t);
        Row back = Row.from(t);
        assertEquals(
                List.of(
                        "Summons Number",
                        "Registration State",
                        "Days Parking In Effect    ",
                        "Issue Date",
                        "plateType",
                        "street"),
                back.schema().names());
        assertEquals("07/10/2016", back.get("Issue Date"));
        assertEquals("5092469481", back.get("Summons Number"));
    }

    record Plain(String state, String make) {}

    @Test
    void explicitMappingForNamesThatAreNotJavaNames() {
        RecordBinding<Plain> b = RecordBinding.of(Plain.class)
                .withColumn("state", "Registration State")
                .withColumn("make", "Vehicle Make");
        Row r = Row.of("Vehicle Make", "FORD", "Registration State", "NJ");
        assertEquals(new Plain("NJ", "FORD"), b.fromRow(r));
        assertEquals(
                List.of("Registration State", "Vehicle Make"),
                b.toRow(new Plain("NJ", "FORD")).schema().names());
    }

    @Test
    void bindingErrorsSayWhatIsMissing() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Row.of("x", "1").as(Plain.class));
        assertEquals(
                "cannot bind Plain to columns [x]: component 'state' has no column; name it with @Column or "
                        + "withColumn; component 'make' has no column; name it with @Column or withColumn",
                e.getMessage());
        DataException d = assertThrows(
                DataException.class,
                () -> csvRow(
                                "Summons Number,Registration State,Days Parking In Effect    ,Issue Date,Plate Type,Street\n"
                                        + "12x,NY,B,07/10/2016,PAS,S\n")
                        .as(Ticket.class));
        assertEquals("column 'Summons Number' value '12x' is not a long (text line 2)", d.getMessage());
    }
}
