package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DatesTest {

    @Test
    void fixedPatterns() {
        assertEquals(LocalDate.of(2016, 7, 10), Dates.parse("2016-07-10", "yyyy-MM-dd"));
        assertEquals(LocalDate.of(2016, 7, 10), Dates.parse("20160710", "yyyyMMdd"));
        assertEquals(LocalDate.of(2016, 7, 10), Dates.parse("07/10/2016", "MM/dd/yyyy"));
        assertEquals(LocalDate.of(2016, 7, 10), Dates.parse("10.07.2016", "dd.MM.yyyy"));
        assertEquals(LocalDate.of(2016, 7, 10), Dates.tryParse("2016-07-10T00:00:00.000", 0, 10, "yyyy-MM-dd"));
    }

    @Test
    void strictAndNonThrowing() {
        assertNull(Dates.tryParse("2017-02-29", "yyyy-MM-dd"));
        assertEquals(LocalDate.of(2016, 2, 29), Dates.tryParse("2016-02-29", "yyyy-MM-dd"));
        assertNull(Dates.tryParse("88880088", "yyyyMMdd"));
        assertNull(Dates.tryParse("0", "yyyyMMdd"));
        assertNull(Dates.tryParse("2016/07/10", "yyyy-MM-dd"));
        assertNull(Dates.tryParse("short", 0, 10, "yyyy-MM-dd"));
        assertNull(Dates.tryParse(null, "yyyy-MM-dd"));
        assertThrows(DateTimeParseException.class, () -> Dates.parse("2017-13-01", "yyyy-MM-dd"));
    }

    @Test
    void otherPatternsUseTheFormatter() {
        assertEquals(LocalDate.of(2016, 7, 10), Dates.parse("10 Jul 2016", "dd MMM yyyy"));
        assertNull(Dates.tryParse("10 Foo 2016", "dd MMM yyyy"));
    }

    /** The fast path agrees with java.time's strict formatter on every date in a wide range, valid or not. */
    @Property(tries = 2000)
    void agreesWithJavaTime(
            @ForAll @IntRange(min = 0, max = 9999) int y,
            @ForAll @IntRange(min = 0, max = 13) int m,
            @ForAll @IntRange(min = 0, max = 32) int d) {
        String text = String.format("%04d-%02d-%02d", y, m, d);
        LocalDate expected;
        try {
            expected = LocalDate.parse(
                    text, DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT));
        } catch (DateTimeParseException e) {
            expected = null;
        }
        assertEquals(expected, Dates.tryParse(text, "yyyy-MM-dd"), text);
    }
}
