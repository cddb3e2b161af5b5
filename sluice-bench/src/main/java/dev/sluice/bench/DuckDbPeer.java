package dev.sluice.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * The seeds' pipelines in DuckDB, through its JDBC driver: {@code COPY (SELECT ...) TO 'out.csv'}. All columns
 * are read as text (so values keep their exact text), with the given number of threads.
 *
 * <p>Usage: {@code DuckDbPeer A|B|SORT|COPY|GROUPMAKE|GROUPPLATE|DISTINCT|TOP|JOIN IN.csv OUT.csv [THREADS]}. SORT orders every row by Plate ID, Issue
 * Date and Summons Number under {@code memory_limit='256MB'}; COPY writes every row as it is.
 */
public final class DuckDbPeer {
    private DuckDbPeer() {}

    static String sql(String pipeline, Path in, Path out) {
        String src = "read_csv('" + in.toAbsolutePath() + "', header = true, all_varchar = true, delim = ',', "
                + "quote = '\"', escape = '\"')";
        String select;
        if (pipeline.equals("JOIN")) {
            String regs = "read_csv('" + registrations(in).toAbsolutePath() + "', header = true, all_varchar = true)";
            select = "SELECT t.*, r.\"Owner Zip\", r.\"Registered Make\", r.\"Model Year\", r.\"Registration Expires\" "
                    + "FROM " + src + " t JOIN " + regs + " r USING (\"Plate ID\", \"Registration State\")";
        } else if (pipeline.equals("GROUPMAKE")) {
            select = "SELECT \"Vehicle Make\", count(*), sum(CAST(\"Violation Code\" AS BIGINT)) FROM " + src
                    + " GROUP BY 1 ORDER BY 1";
        } else if (pipeline.equals("GROUPPLATE")) {
            select = "SELECT \"Plate ID\", \"Registration State\", count(*), min(\"Issue Date\"), "
                    + "max(\"Issue Date\") FROM " + src + " GROUP BY 1, 2 ORDER BY 1, 2";
        } else if (pipeline.equals("DISTINCT")) {
            select = "SELECT DISTINCT \"Plate ID\", \"Registration State\", \"Vehicle Make\" FROM " + src;
        } else if (pipeline.equals("TOP")) {
            select = "SELECT * FROM " + src + " ORDER BY \"Summons Number\" LIMIT 100";
        } else if (pipeline.equals("SORT")) {
            select = "SELECT * FROM " + src + " ORDER BY \"Plate ID\", \"Issue Date\", \"Summons Number\"";
        } else if (pipeline.equals("COPY")) {
            select = "SELECT * FROM " + src;
        } else if (pipeline.equals("A")) {
            select = "SELECT \"Vehicle Make\" AS vehicle_make, 'police' AS issuing_agency, "
                    + "coalesce(\"House Number\", '') || ', ' || coalesce(\"Street Name\", '') || ', ' "
                    + "|| coalesce(\"Registration State\", '') AS address FROM " + src
                    + " WHERE \"Registration State\" = 'NJ' AND \"Vehicle Make\" = 'FORD' AND \"Issuing Agency\" = 'P'";
        } else {
            select = "SELECT *, coalesce(date_diff('day', try_strptime(left(\"Issue Date\", 10), '%Y-%m-%d')::DATE, "
                    + "try_strptime(split_part(\"Vehicle Expiration Date\", '.', 1), '%Y%m%d')::DATE), -1) "
                    + "AS days_to_expiration FROM " + src;
        }
        return "COPY (" + select + ") TO '" + out.toAbsolutePath() + "' (HEADER, DELIMITER ',')";
    }

    /** The registrations file beside a tickets file {@code parking_N.csv}: {@code registrations_N.csv}. */
    static Path registrations(Path tickets) {
        return tickets.resolveSibling(tickets.getFileName().toString().replace("parking_", "registrations_"));
    }

    public static void main(String[] args) throws Exception {
        String pipeline = args[0];
        Path in = Path.of(args[1]);
        Path out = Path.of(args[2]);
        int threads = args.length > 3
                ? Integer.parseInt(args[3])
                : Runtime.getRuntime().availableProcessors();
        while (true) {
            try {
                run(pipeline, in, out, threads);
                return;
            } catch (java.sql.SQLException e) {
                if (threads == 1 || !String.valueOf(e.getMessage()).startsWith("Out of Memory")) {
                    throw e;
                }
                // under memory_limit='256MB', DuckDB's sort runs out of memory with 2 threads here: use fewer
                threads--;
                System.err.println("duckdb: out of memory with " + (threads + 1) + " threads; again with " + threads);
            }
        }
    }

    private static void run(String pipeline, Path in, Path out, int threads) throws java.sql.SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement()) {
            st.execute("SET threads = " + threads);
            // ORDER BY orders the sort's output; elsewhere the output keeps the input's order
            st.execute("SET preserve_insertion_order = " + !pipeline.equals("SORT"));
            if (pipeline.equals("SORT")
                    || pipeline.equals("COPY")
                    || pipeline.equals("GROUPPLATE")
                    || pipeline.equals("DISTINCT")
                    || pipeline.equals("JOIN")) {
                st.execute("SET memory_limit = '256MB'"); // the setting for the beyond-memory workloads
                st.execute("SET temp_directory = '"
                        + out.toAbsolutePath().getParent().resolve("duckdb.tmp") + "'");
            }
            st.execute(sql(pipeline, in, out));
        }
    }
}
