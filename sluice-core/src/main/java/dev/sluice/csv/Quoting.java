package dev.sluice.csv;

/** When the CSV writer quotes a field. */
public enum Quoting {
    /**
     * Only when needed: the field holds the delimiter, the quote character, CR or LF, or is the only, empty field
     * of its row. What Python's {@code csv.QUOTE_MINIMAL} does. The default.
     */
    MINIMAL,
    /** Every field. Like Python's {@code csv.QUOTE_ALL}. */
    ALL
}
