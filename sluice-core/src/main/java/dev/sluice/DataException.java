package dev.sluice;

/**
 * A record could not be read, converted or written: bad input, as opposed to a bug or an I/O failure. Carries
 * where the record came from when known.
 */
public class DataException extends SluiceException {
    private static final long serialVersionUID = 1L;

    private final transient Location location;

    public DataException(String message) {
        this(message, null, null);
    }

    public DataException(String message, Location location, Throwable cause) {
        super(message, cause);
        this.location = location;
    }

    /** Where the bad record came from, or null if unknown. */
    public Location location() {
        return location;
    }
}
