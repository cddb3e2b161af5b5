package dev.sluice.csv;

import dev.sluice.Location;
import dev.sluice.Row;
import dev.sluice.Schema;

/**
 * Internal, not part of the API. A CSV row with one more column at the end, as {@code row.with(newColumn, v)}
 * makes it: a view that decodes nothing, so a CSV writer can copy the original record's bytes and add the value.
 */
final class AppendedRow extends Row {
    private static final long serialVersionUID = 1L;

    final CsvRow base;
    private final Schema schema;

    @SuppressWarnings("serial") // a row is serializable when its values are
    final Object extra;

    AppendedRow(CsvRow base, Schema schema, Object extra) {
        this.base = base;
        this.schema = schema;
        this.extra = extra;
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public Object value(int i) {
        return i < base.size() ? base.value(i) : extra;
    }

    @Override
    public String get(int i) {
        if (i < base.size()) {
            return base.get(i);
        }
        if (i > base.size()) {
            throw new IndexOutOfBoundsException("column index " + i + " is out of range for " + size() + " columns");
        }
        return extra == null ? null : extra.toString();
    }

    @Override
    public boolean is(int i, String expected) {
        return i < base.size() ? base.is(i, expected) : super.is(i, expected);
    }

    @Override
    public Location origin() {
        return base.origin();
    }

    private Object writeReplace() {
        return Row.of(schema(), values().toArray(), origin());
    }
}
