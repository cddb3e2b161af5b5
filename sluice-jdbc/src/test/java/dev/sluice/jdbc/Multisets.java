package dev.sluice.jdbc;

import dev.sluice.Row;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/** Rows as a sorted list of lines, numbers to six decimals: how Sluice's results are compared with SQLite's. */
final class Multisets {
    private Multisets() {}

    static String norm(Object v) {
        if (v == null) {
            return "NULL";
        }
        String s = v.toString();
        try {
            return new BigDecimal(s)
                    .setScale(6, RoundingMode.HALF_UP)
                    .stripTrailingZeros()
                    .toPlainString();
        } catch (NumberFormatException e) {
            return s;
        }
    }

    static List<String> rows(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            List<String> v = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                v.add(norm(r.value(i)));
            }
            out.add(String.join("|", v));
        }
        out.sort(null);
        return out;
    }
}
