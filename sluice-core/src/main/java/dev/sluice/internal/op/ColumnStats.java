package dev.sluice.internal.op;

import dev.sluice.Aggregator;
import dev.sluice.Row;
import dev.sluice.Schema;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Internal: the aggregate behind {@code Flow.stats()}: for every column, in one pass and in fixed memory per column,
 * how many values and empty fields it has, how many distinct values (exact up to {@value #EXACT}, then estimated by
 * HyperLogLog), its smallest and largest value and length, and for numeric columns the mean and standard deviation.
 * Mergeable, so a parallel run profiles each chunk on its worker. Columns are matched by name, so inputs with
 * different headers profile the union of their columns.
 */
public final class ColumnStats implements Aggregator<ColumnStats.State> {
    private static final long serialVersionUID = 1L;
    static final int EXACT = 1000;

    /** The columns of {@code Flow.stats()}'s rows. */
    public static final Schema OUT = Schema.of(
            "field", "type", "count", "empty", "distinct", "min", "max", "min_length", "max_length", "mean", "stddev");

    public ColumnStats() {}

    /** Every column's statistics so far, in the order columns were first seen. */
    public static final class State implements Serializable {
        private static final long serialVersionUID = 1L;
        private final LinkedHashMap<String, Col> columns = new LinkedHashMap<>();
        private transient Schema schema;
        private transient Col[] bound;

        Col[] bind(Schema s) {
            if (s != schema) {
                bound = new Col[s.size()];
                for (int i = 0; i < bound.length; i++) {
                    bound[i] = columns.computeIfAbsent(s.name(i), Col::new);
                }
                schema = s;
            }
            return bound;
        }
    }

    /** One column's statistics. */
    static final class Col implements Serializable {
        private static final long serialVersionUID = 1L;
        final String name;
        long count;
        long empty;
        HashSet<String> exact = new HashSet<>();
        byte[] registers; // past EXACT distinct values
        String minText;
        String maxText;
        int minLength = Integer.MAX_VALUE;
        int maxLength = -1;
        boolean integers = true; // every value seen is a whole number (that fits a long)
        boolean numbers = true; // every value seen is a number
        int dates = UNKNOWN; // every value seen is a date in one format: ISO or US, else NOT_DATES
        long minDay = Long.MAX_VALUE;
        long maxDay = Long.MIN_VALUE;
        String minDayText;
        String maxDayText;
        long minLong = Long.MAX_VALUE;
        long maxLong = Long.MIN_VALUE;
        double minNum = Double.POSITIVE_INFINITY;
        double maxNum = Double.NEGATIVE_INFINITY;
        String minNumText;
        String maxNumText;
        long n; // numbers folded into mean and m2 (Welford)
        double mean;
        double m2;

        Col(String name) {
            this.name = name;
        }

        void add(Object v) {
            if (v == null) {
                empty++;
                return;
            }
            String s = v instanceof String t ? t : v.toString();
            if (s.isEmpty()) {
                empty++;
                return;
            }
            count++;
            distinct(s);
            if (minText == null || Accumulators.compareText(s, minText) < 0) {
                minText = s;
            }
            if (maxText == null || Accumulators.compareText(s, maxText) > 0) {
                maxText = s;
            }
            int len = s.codePointCount(0, s.length());
            minLength = Math.min(minLength, len);
            maxLength = Math.max(maxLength, len);
            if (numbers) {
                number(v, s);
            }
            if (dates != NOT_DATES) {
                date(s);
            }
        }

        private void date(String s) {
            int format = dateFormat(s);
            if (format == NOT_DATES || (dates != UNKNOWN && format != dates)) {
                dates = NOT_DATES;
                return;
            }
            dates = format;
            long day = epochDay(s, format);
            if (day == Long.MIN_VALUE) {
                dates = NOT_DATES;
                return;
            }
            foldDay(day, s);
        }

        private void foldDay(long day, String s) {
            if (day < minDay) {
                minDay = day;
                minDayText = s;
            }
            if (day > maxDay) {
                maxDay = day;
                maxDayText = s;
            }
        }

        private void distinct(String s) {
            if (registers == null) {
                exact.add(s);
                if (exact.size() > EXACT) {
                    toRegisters();
                }
            } else {
                Accumulators.Approx.addHash(registers, Accumulators.Approx.hash(s));
            }
        }

        private void toRegisters() {
            registers = new byte[Accumulators.Approx.M];
            for (String e : exact) {
                Accumulators.Approx.addHash(registers, Accumulators.Approx.hash(e));
            }
            exact = null;
        }

        private void number(Object v, String s) {
            double d;
            if (integers && v instanceof String) {
                long l = parseLong(s);
                if (l != NOT_LONG) {
                    fold(l, s);
                    return;
                }
            } else if (integers && (v instanceof Long || v instanceof Integer || v instanceof Short)) {
                fold(((Number) v).longValue(), s);
                return;
            }
            integers = false;
            if (v instanceof Number num) {
                d = num.doubleValue();
            } else {
                if (!decimal(s)) {
                    numbers = false;
                    return;
                }
                d = Double.parseDouble(s);
            }
            foldDouble(d, s);
        }

        private void fold(long l, String s) {
            minLong = Math.min(minLong, l);
            maxLong = Math.max(maxLong, l);
            foldDouble(l, s);
        }

        private void foldDouble(double d, String s) {
            if (d < minNum || minNumText == null) {
                minNum = d;
                minNumText = s;
            }
            if (d > maxNum || maxNumText == null) {
                maxNum = d;
                maxNumText = s;
            }
            n++;
            double delta = d - mean;
            mean += delta / n;
            m2 += delta * (d - mean);
        }

        void merge(Col o) {
            count += o.count;
            empty += o.empty;
            if (registers == null && o.registers == null) {
                exact.addAll(o.exact);
                if (exact.size() > EXACT) {
                    toRegisters();
                }
            } else {
                if (registers == null) {
                    toRegisters();
                }
                if (o.registers != null) {
                    Accumulators.Approx.mergeRegisters(registers, o.registers);
                } else {
                    for (String e : o.exact) {
                        Accumulators.Approx.addHash(registers, Accumulators.Approx.hash(e));
                    }
                }
            }
            if (o.minText != null && (minText == null || Accumulators.compareText(o.minText, minText) < 0)) {
                minText = o.minText;
            }
            if (o.maxText != null && (maxText == null || Accumulators.compareText(o.maxText, maxText) > 0)) {
                maxText = o.maxText;
            }
            minLength = Math.min(minLength, o.minLength);
            maxLength = Math.max(maxLength, o.maxLength);
            integers &= o.integers;
            numbers &= o.numbers;
            if (o.dates == NOT_DATES || (dates != UNKNOWN && o.dates != UNKNOWN && dates != o.dates)) {
                dates = NOT_DATES;
            } else if (dates != NOT_DATES) {
                if (o.dates != UNKNOWN) {
                    dates = o.dates;
                    foldDay(o.minDay, o.minDayText);
                    foldDay(o.maxDay, o.maxDayText);
                }
            }
            minLong = Math.min(minLong, o.minLong);
            maxLong = Math.max(maxLong, o.maxLong);
            if (o.minNumText != null && (minNumText == null || o.minNum < minNum)) {
                minNum = o.minNum;
                minNumText = o.minNumText;
            }
            if (o.maxNumText != null && (maxNumText == null || o.maxNum > maxNum)) {
                maxNum = o.maxNum;
                maxNumText = o.maxNumText;
            }
            if (o.n > 0) { // Chan et al.: the mean and squared deviations of two parts combined
                long total = n + o.n;
                double delta = o.mean - mean;
                mean += delta * o.n / total;
                m2 += o.m2 + delta * delta * n * o.n / total;
                n = total;
            }
        }

        Row row() {
            String type;
            if (count == 0) {
                type = "empty";
            } else if (numbers && integers) {
                type = "integer";
            } else if (numbers) {
                type = "number";
            } else if (dates != NOT_DATES) {
                type = "date";
            } else {
                type = "text";
            }
            boolean numeric = type.equals("integer") || type.equals("number");
            boolean date = type.equals("date");
            Object min = count == 0
                    ? null
                    : type.equals("integer") ? minLong : numeric ? minNumText : date ? minDayText : minText;
            Object max = count == 0
                    ? null
                    : type.equals("integer") ? maxLong : numeric ? maxNumText : date ? maxDayText : maxText;
            // an estimate can exceed the values counted; never report more distinct values than values
            long distinct = registers != null ? Math.min(count, Accumulators.Approx.estimate(registers)) : exact.size();
            return Row.of(
                    OUT,
                    new Object[] {
                        name,
                        type,
                        count,
                        empty,
                        distinct,
                        min,
                        max,
                        count == 0 ? null : minLength,
                        count == 0 ? null : maxLength,
                        numeric ? decimal(mean) : null,
                        numeric ? decimal(Math.sqrt(m2 / n)) : null
                    },
                    null);
        }
    }

    /** A double as plain decimal text, rounded to 6 places: {@code 12.5}, not {@code 1.25E1}. */
    static String decimal(double d) {
        BigDecimal b = new BigDecimal(d).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return b.signum() == 0 ? "0" : b.toPlainString();
    }

    private static final long NOT_LONG = Long.MIN_VALUE;

    /**
     * Whether {@code s} is a decimal number: {@code [+-]digits[.digits][e[+-]digits]}, with digits on at least one
     * side of the point. Stricter than Double.parseDouble, which also takes " 12", "NaN", "0x1p3" and "2f".
     */
    static boolean decimal(String s) {
        int i = 0;
        int n = s.length();
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int start = i;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
        }
        int digits = i - start;
        if (i < n && s.charAt(i) == '.') {
            i++;
            int f = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            digits += i - f;
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int e = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == e) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static final int UNKNOWN = 0;
    static final int ISO = 1; // 2017-12-31
    static final int US = 2; // 12/31/2017, as in the NYC parking files
    static final int NOT_DATES = 3;

    /** The date format of {@code s}: ISO, US, or NOT_DATES. */
    static int dateFormat(String s) {
        if (s.length() != 10) {
            return NOT_DATES;
        }
        if (s.charAt(4) == '-' && s.charAt(7) == '-' && digits(s, 0, 4) && digits(s, 5, 7) && digits(s, 8, 10)) {
            return ISO;
        }
        if (s.charAt(2) == '/' && s.charAt(5) == '/' && digits(s, 0, 2) && digits(s, 3, 5) && digits(s, 6, 10)) {
            return US;
        }
        return NOT_DATES;
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The day of a date in {@code format}, or Long.MIN_VALUE if it is no real date (a 13th month, a 30th of February). */
    static long epochDay(String s, int format) {
        int y;
        int m;
        int d;
        if (format == ISO) {
            y = Integer.parseInt(s, 0, 4, 10);
            m = Integer.parseInt(s, 5, 7, 10);
            d = Integer.parseInt(s, 8, 10, 10);
        } else {
            m = Integer.parseInt(s, 0, 2, 10);
            d = Integer.parseInt(s, 3, 5, 10);
            y = Integer.parseInt(s, 6, 10, 10);
        }
        if (m < 1 || m > 12 || d < 1 || d > java.time.YearMonth.of(y, m).lengthOfMonth()) {
            return Long.MIN_VALUE;
        }
        return java.time.LocalDate.of(y, m, d).toEpochDay();
    }

    /** A decimal integer ({@code -12}, {@code +7}, {@code 0042}), or NOT_LONG if {@code s} is not one or overflows. */
    static long parseLong(String s) {
        int i = 0;
        int n = s.length();
        boolean neg = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            neg = s.charAt(0) == '-';
            i = 1;
        }
        if (i == n || n - i > 18) {
            return n - i > 18 ? slowLong(s) : NOT_LONG;
        }
        long v = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return NOT_LONG;
            }
            v = v * 10 + (c - '0');
        }
        return neg ? -v : v;
    }

    private static long slowLong(String s) {
        try {
            long v = Long.parseLong(s);
            return v == NOT_LONG ? NOT_LONG : v;
        } catch (NumberFormatException e) {
            return NOT_LONG;
        }
    }

    @Override
    public State create() {
        return new State();
    }

    @Override
    public State add(State state, Row row) {
        Col[] cols = state.bind(row.schema());
        for (int i = 0; i < cols.length; i++) {
            cols[i].add(row.value(i));
        }
        return state;
    }

    @Override
    public State merge(State a, State b) {
        for (Map.Entry<String, Col> e : b.columns.entrySet()) {
            Col mine = a.columns.get(e.getKey());
            if (mine == null) {
                a.columns.put(e.getKey(), e.getValue());
            } else {
                mine.merge(e.getValue());
            }
        }
        a.schema = null; // columns may have been added: bind again
        return a;
    }

    @Override
    public Object result(State state) {
        List<Row> rows = new ArrayList<>(state.columns.size());
        for (Col c : state.columns.values()) {
            rows.add(c.row());
        }
        return rows;
    }

    /** The rows of a {@link #result}. */
    @SuppressWarnings("unchecked")
    public static List<Row> rows(Object result) {
        return (List<Row>) result;
    }
}
