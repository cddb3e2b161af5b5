package dev.sluice.jdbc;

import dev.sluice.fn.SupplierFn;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A database to read from and write to: how to open a connection, and its {@link Dialect}. Serializable and
 * immutable; opens nothing until a run starts, and every source and sink closes the connections it opens.
 *
 * <pre>{@code
 * Database db = Jdbc.connect("jdbc:postgresql://localhost/parking", "user", "secret");
 * Flow.from(db.query("SELECT * FROM tickets WHERE state = ?", "NJ")).forEach(...);
 * Flow.from(Csv.read(file)).to(db.table("tickets").write().withCreateTable(true)).run();
 * }</pre>
 *
 * <p>Messages never show a password: {@link #url()} and {@link #toString()} mask it ({@link Jdbc#redact}).
 */
public final class Database implements Serializable {
    private static final long serialVersionUID = 2L;
    private static final Pattern URL_SECRET =
            Pattern.compile("(?i)(?:[?&;](?:[a-z]*password|pwd|passwd)=([^&;]*))|(?://[^/?#@:]*:([^/?#@]*)@)");

    private final String url;
    private final String user;
    private final String password;
    private final SupplierFn<Connection> connections;
    private final Dialect dialect;

    @SuppressWarnings("serial") // an immutable List.copyOf, which is serializable
    private final List<String> driverJars;

    private final boolean readOnly;

    Database(String url, String user, String password, SupplierFn<Connection> connections, Dialect dialect) {
        this(url, user, password, connections, dialect, List.of(), false);
    }

    private Database(
            String url,
            String user,
            String password,
            SupplierFn<Connection> connections,
            Dialect dialect,
            List<String> driverJars,
            boolean readOnly) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.connections = connections;
        this.dialect = dialect;
        this.driverJars = driverJars;
        this.readOnly = readOnly;
    }

    /**
     * The same database, its driver also looked for in these jars (or directories of classes): each is searched
     * with a {@link java.util.ServiceLoader} for {@link Driver}s, and the one that accepts the URL is used directly,
     * so a driver needs no place on the application's class path. Drivers on the class path still serve URLs the
     * jars' drivers do not accept.
     */
    public Database withDriverJars(List<Path> jars) {
        List<String> j = new ArrayList<>();
        for (Path p : jars) {
            j.add(p.toAbsolutePath().normalize().toString());
        }
        return new Database(url, user, password, connections, dialect, List.copyOf(j), readOnly);
    }

    /**
     * The same database, opened read-only. SQLite opens the file read-only: a missing file is an error ({@code no
     * such database file: PATH}) rather than a new empty database. Other databases get
     * {@link Connection#setReadOnly}: PostgreSQL's driver and MySQL Connector/J enforce it with read-only
     * transactions; for others (MariaDB's driver among them) it is a hint.
     */
    public Database withReadOnly(boolean b) {
        return new Database(url, user, password, connections, dialect, driverJars, b);
    }

    /**
     * Checks, without connecting, that a JDBC driver accepts the URL.
     *
     * @throws NoDriverException if none does, listing the drivers available
     */
    public void checkDriver() throws SQLException {
        if (connections == null) {
            Drivers.check(url, driverJars, url());
        }
    }

    /** Opens a new connection. The caller closes it. */
    public Connection open() throws SQLException {
        if (connections != null) {
            try {
                return Objects.requireNonNull(connections.get(), "the connection supplier returned null");
            } catch (SQLException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new SQLException("opening a connection failed: " + redact(e.getMessage()), e);
            }
        }
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        if (readOnly && dialect == Dialect.SQLITE) {
            Path file = sqliteFile(url);
            if (file != null && !Files.exists(file)) {
                throw new SQLException("no such database file: " + file, "08001");
            }
            props.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY, without SQLITE_OPEN_CREATE
        }
        Connection c;
        try {
            Driver extra = Drivers.fromJars(url, driverJars);
            if (extra != null) {
                c = extra.connect(url, props);
                if (c == null) {
                    throw new NoDriverException(url(), Drivers.available(driverJars));
                }
            } else {
                try {
                    DriverManager.getDriver(url);
                } catch (SQLException e) {
                    throw new NoDriverException(url(), Drivers.available(driverJars));
                }
                c = DriverManager.getConnection(url, props);
            }
        } catch (NoDriverException e) {
            throw e;
        } catch (SQLException e) {
            String m = String.valueOf(e.getMessage());
            if (!redact(m).equals(m)) { // a driver that echoes the URL: keep neither the message nor the cause
                throw new SQLException(redact(m), e.getSQLState(), e.getErrorCode());
            }
            throw e;
        }
        if (readOnly && dialect != Dialect.SQLITE) {
            try {
                c.setReadOnly(true);
            } catch (SQLException e) {
                JdbcResources.closeQuietly(c, e);
                throw e;
            }
        }
        return c;
    }

    /** The file of a {@code jdbc:sqlite:PATH} URL, or null for in-memory and {@code file:} URI forms. */
    static Path sqliteFile(String url) {
        String s = url.substring("jdbc:sqlite:".length());
        int q = s.indexOf('?');
        if (q >= 0) {
            s = s.substring(0, q);
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (s.isEmpty() || lower.equals(":memory:") || lower.startsWith("file:") || lower.startsWith(":resource:")) {
            return null;
        }
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** The dialect, known from the URL. */
    public Dialect dialect() {
        return dialect;
    }

    /** The URL with its passwords masked ({@link Jdbc#redact}), for messages. */
    public String url() {
        return Jdbc.redact(url);
    }

    /**
     * A message with this database's secrets masked: the URL's passwords ({@link Jdbc#redact}), and wherever it
     * appears, the password given to {@link Jdbc#connect(String, String, String)} or found in the URL.
     */
    String redact(String message) {
        if (message == null) {
            return null;
        }
        String m = Jdbc.redact(message);
        List<String> secrets = new ArrayList<>();
        if (password != null) {
            secrets.add(password);
        }
        Matcher x = URL_SECRET.matcher(url);
        while (x.find()) {
            secrets.add(x.group(1) != null ? x.group(1) : x.group(2));
        }
        for (String s : secrets) {
            if (s != null && s.length() >= 4) {
                m = m.replace(s, Jdbc.MASK);
            }
        }
        return m;
    }

    /** A query streamed through a cursor; parameters are bound in order ({@code ?}). */
    public QuerySource query(String sql, Object... params) {
        return new QuerySource(this, Objects.requireNonNull(sql, "sql"), params.clone(), 10_000);
    }

    /**
     * A table, to read by key or to write. The name is not SQL: Sluice quotes it (so it is case-sensitive where the
     * database is, as in PostgreSQL and H2), and a dot separates a schema from the table: {@code "public.t2"} is the
     * table {@code t2} in the schema {@code public} (in MySQL and MariaDB, the database). A part written in double
     * quotes is taken as it is, dots included, with {@code ""} for a quote: {@code "\"my.table\""} is one table named
     * {@code my.table}. Other characters (quotes inside a name, semicolons, keywords) are part of the name.
     *
     * @throws IllegalArgumentException if the name, or a part of it, is empty, or a quoted part is not closed
     */
    public Table table(String name) {
        return new Table(this, TableName.parse(Objects.requireNonNull(name, "name")));
    }

    /**
     * The table {@code name} in {@code schema} (in MySQL and MariaDB, the database), both taken literally: no dot or
     * quote is special.
     *
     * @throws IllegalArgumentException if either is empty
     */
    public Table table(String schema, String name) {
        return new Table(
                this, TableName.of(Objects.requireNonNull(schema, "schema"), Objects.requireNonNull(name, "name")));
    }

    @Override
    public String toString() {
        return url();
    }
}
