package dev.sluice;

/** A row backed by an array of values. Internal: build rows with {@link Row#of} or {@link Schema#row}. */
final class ArrayRow extends Row {
    private static final long serialVersionUID = 1L;

    private final Schema schema;

    @SuppressWarnings("serial") // a row is serializable when its values are
    private final Object[] values;

    private final Location origin;

    ArrayRow(Schema schema, Object[] values, Location origin) {
        this.schema = schema;
        this.values = values;
        this.origin = origin;
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public Object value(int i) {
        return i < values.length ? values[i] : null;
    }

    @Override
    public Location origin() {
        return origin;
    }
}
