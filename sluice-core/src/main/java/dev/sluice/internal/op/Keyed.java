package dev.sluice.internal.op;

import dev.sluice.Row;
import dev.sluice.SluiceException;

/**
 * Internal: the row whose columns an operator keyed by column names reads for a record: a row itself, or a Java
 * record seen as a row of its components ({@link Row#from(Record)}: a component's name, or its {@code @Column}
 * name). Any other type is refused with a message that says what to do.
 */
final class Keyed {
    private Keyed() {}

    static Row row(Object t, String operator, String verb) {
        if (t instanceof Row r) {
            return r;
        }
        if (t instanceof Record rec) {
            return Row.from(rec);
        }
        throw new SluiceException(
                operator + " " + verb + " by column, which rows and Java records have; this record is a "
                        + t.getClass().getName() + ": map it to a row or a record first"
                        + (verb.equals("sorts") ? ", or sort it with sortBy(comparator)" : ""));
    }
}
