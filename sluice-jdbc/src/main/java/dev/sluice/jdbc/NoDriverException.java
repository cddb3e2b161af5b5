package dev.sluice.jdbc;

import java.sql.SQLException;
import java.util.List;

/**
 * No JDBC driver accepts a URL: neither a driver on the class path nor one in the jars given to
 * {@link Database#withDriverJars}. Carries the (password-masked) URL and the drivers that were available, so a
 * tool can say how to add one.
 */
public final class NoDriverException extends SQLException {
    private static final long serialVersionUID = 1L;

    private final String url;

    @SuppressWarnings("serial") // an immutable List.copyOf, which is serializable
    private final List<String> available;

    NoDriverException(String url, List<String> available) {
        super(
                "No JDBC driver for " + url + "; available: "
                        + (available.isEmpty() ? "none" : String.join(", ", available))
                        + "; add the driver's jar to the class path (or Database.withDriverJars)",
                "08001");
        this.url = url;
        this.available = List.copyOf(available);
    }

    /** The URL no driver accepts, passwords masked. */
    public String url() {
        return url;
    }

    /** The drivers that were available, e.g. {@code SQLite (jdbc:sqlite:)}, in a fixed order. */
    public List<String> available() {
        return available;
    }
}
