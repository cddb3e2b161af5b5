package dev.sluice.jdbc;

import dev.sluice.fn.SupplierFn;
import java.sql.Connection;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Database sources and sinks. Entry point: {@link #connect}.
 *
 * <pre>{@code
 * Database db = Jdbc.connect("jdbc:sqlite:parking.db");
 * Flow.from(db.query("SELECT * FROM tickets").withFetchSize(10_000)).map(...).to(...).run();
 * Flow.from(db.table("tickets").readByKey("summons_number")).parallel().count();
 * }</pre>
 */
public final class Jdbc {
    /** {@code password=...} (and {@code pwd}, {@code sslpassword}, ...) in a URL's query or {@code ;key=value} part. */
    private static final Pattern SECRET_PARAM = Pattern.compile("(?i)([?&;](?:[a-z]*password|pwd|passwd)=)[^&;\\s]*");
    /** {@code //user:secret@host}. */
    private static final Pattern USER_INFO = Pattern.compile("(//[^/?#@\\s:]*:)[^/?#@\\s]*@");
    /** Oracle's {@code jdbc:oracle:thin:user/secret@host}. */
    private static final Pattern ORACLE = Pattern.compile("(?i)(jdbc:oracle:[a-z0-9]+:[^/@:\\s]*/)[^@\\s]*@");

    static final String MASK = "***";

    private Jdbc() {}

    /** The database at a JDBC URL (credentials, if any, in the URL). */
    public static Database connect(String url) {
        return new Database(Objects.requireNonNull(url, "url"), null, null, null, Dialect.of(url));
    }

    /** The database at a JDBC URL, with credentials. */
    public static Database connect(String url, String user, String password) {
        return new Database(Objects.requireNonNull(url, "url"), user, password, null, Dialect.of(url));
    }

    /** A database whose connections come from {@code connections} (e.g. a pool's {@code getConnection}). */
    public static Database of(String name, Dialect dialect, SupplierFn<Connection> connections) {
        return new Database(name, null, null, Objects.requireNonNull(connections, "connections"), dialect);
    }

    /**
     * A JDBC URL, or any text holding one (an error message), with its passwords masked as {@code ***}: the value of
     * {@code password=} (also {@code pwd=}, {@code sslpassword=} ...) after {@code ?}, {@code &} or {@code ;}, and the
     * secret of a user-info part ({@code //user:secret@host}, Oracle's {@code user/secret@host}). Every message this
     * module builds goes through it; use it for anything that prints a URL.
     *
     * <pre>{@code
     * Jdbc.redact("jdbc:postgresql://h/db?user=u&password=secret")  // jdbc:postgresql://h/db?user=u&password=***
     * }</pre>
     */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String s = SECRET_PARAM.matcher(text).replaceAll("$1" + MASK);
        s = USER_INFO.matcher(s).replaceAll("$1" + MASK + "@");
        return ORACLE.matcher(s).replaceAll("$1" + MASK + "@");
    }
}
