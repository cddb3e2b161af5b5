package dev.sluice.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Internal: finding the JDBC driver for a URL, on the class path or in extra jars. Drivers from extra jars are
 * found with a {@link ServiceLoader} over a {@link URLClassLoader} and used directly: {@link DriverManager} refuses
 * drivers whose class its caller's class loader cannot see.
 */
final class Drivers {
    /** The drivers of each list of jars, loaded once and kept for the JVM's life (drivers hold on to their classes). */
    private static final Map<List<String>, List<Driver>> DRIVERS = new ConcurrentHashMap<>();
    /** Known drivers: class name, then its name and URL prefix for messages; the order messages list them in. */
    private static final String[][] KNOWN = {
        {"org.sqlite.JDBC", "SQLite (jdbc:sqlite:)"},
        {"org.postgresql.Driver", "PostgreSQL (jdbc:postgresql:)"},
        {"org.h2.Driver", "H2 (jdbc:h2:)"},
        {"org.mariadb.jdbc.Driver", "MariaDB (jdbc:mariadb:)"},
        {"com.mysql.cj.jdbc.Driver", "MySQL (jdbc:mysql:)"},
    };

    private Drivers() {}

    /** The driver from the extra jars that accepts {@code url}, or null if none does (or there are no jars). */
    static Driver fromJars(String url, List<String> jars) throws SQLException {
        if (jars.isEmpty()) {
            return null;
        }
        for (Driver d : load(jars)) {
            if (d.acceptsURL(url)) {
                return d;
            }
        }
        return null;
    }

    /** Throws {@link NoDriverException} unless a driver accepts {@code url}. */
    static void check(String url, List<String> jars, String redactedUrl) throws SQLException {
        if (fromJars(url, jars) != null) {
            return;
        }
        try {
            DriverManager.getDriver(url);
        } catch (SQLException e) {
            throw new NoDriverException(redactedUrl, available(jars));
        }
    }

    /** The drivers available, described for messages: known ones first, in a fixed order. */
    static List<String> available(List<String> jars) {
        Set<String> classes = new LinkedHashSet<>();
        for (Enumeration<Driver> e = DriverManager.getDrivers(); e.hasMoreElements(); ) {
            classes.add(e.nextElement().getClass().getName());
        }
        if (!jars.isEmpty()) {
            for (Driver d : load(jars)) {
                classes.add(d.getClass().getName());
            }
        }
        List<String> out = new ArrayList<>();
        for (String[] k : KNOWN) {
            if (classes.remove(k[0])) {
                out.add(k[1]);
            }
        }
        List<String> rest = new ArrayList<>(classes);
        Collections.sort(rest);
        out.addAll(rest);
        return out;
    }

    private static List<Driver> load(List<String> jars) {
        return DRIVERS.computeIfAbsent(jars, Drivers::loadDrivers);
    }

    private static List<Driver> loadDrivers(List<String> jars) {
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = Path.of(jars.get(i)).toUri().toURL();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        URLClassLoader loader = new URLClassLoader("sluice-drivers", urls, Drivers.class.getClassLoader());
        List<Driver> drivers = new ArrayList<>();
        Iterator<Driver> it = ServiceLoader.load(Driver.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                drivers.add(it.next());
            } catch (ServiceConfigurationError e) {
                // a driver that cannot load (a missing dependency of its jar): the others may still serve
            }
        }
        return List.copyOf(drivers);
    }
}
