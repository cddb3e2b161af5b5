/** Sluice's database sources and sinks, over JDBC. Uses only Sluice's API and SPI. */
@SuppressWarnings("requires-automatic") // the PostgreSQL driver names its module in its manifest only
module dev.sluice.jdbc {
    requires transitive dev.sluice.core;
    requires transitive java.sql;
    requires static org.postgresql.jdbc; // COPY, when the PostgreSQL driver is there

    exports dev.sluice.jdbc;

    uses java.sql.Driver;
}
