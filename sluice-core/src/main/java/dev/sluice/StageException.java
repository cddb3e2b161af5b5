package dev.sluice;

/**
 * A stage failed on a record. The message names the stage, the record number (1-based, counted at that stage's
 * input) and where the record came from, and the cause is kept:
 *
 * <pre>stage 'parse-dates' failed on record 1,042 (violations.csv line 1,043): Text '2017-13-01' could not be parsed</pre>
 */
public class StageException extends SluiceException {
    private static final long serialVersionUID = 1L;

    private final String stage;
    private final long record;
    private final transient Location location;

    public StageException(String stage, long record, Location location, Throwable cause) {
        super(message(stage, record, location, cause), cause);
        this.stage = stage;
        this.record = record;
        this.location = location;
    }

    static String message(String stage, long record, Location location, Throwable cause) {
        StringBuilder sb = new StringBuilder();
        sb.append("stage '")
                .append(stage)
                .append("' failed on record ")
                .append(String.format(java.util.Locale.ROOT, "%,d", record));
        if (location != null) {
            sb.append(" (").append(location).append(')');
        }
        sb.append(": ").append(describe(cause));
        return sb.toString();
    }

    static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        String m = cause.getMessage();
        if (cause instanceof DataException && m != null) {
            return m;
        }
        return m == null || m.isEmpty() ? cause.getClass().getName() : m;
    }

    /** The failing stage's name. */
    public String stage() {
        return stage;
    }

    /** The 1-based number of the record at the failing stage's input. */
    public long record() {
        return record;
    }

    /** Where the record came from, or null if unknown. */
    public Location location() {
        return location;
    }
}
