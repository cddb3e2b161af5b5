package dev.sluice.jdbc;

import dev.sluice.Location;
import dev.sluice.Row;
import dev.sluice.Schema;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;

/**
 * Internal: turns result-set rows into {@link Row}s typed from the metadata (numbers as Integer, Long, BigDecimal
 * or Double; dates and timestamps as java.time; text as String; SQL NULL as absent).
 */
final class ResultRows {
    final Schema schema;
    private final int[] types;

    ResultRows(ResultSetMetaData md) throws SQLException {
        int n = md.getColumnCount();
        String[] names = new String[n];
        types = new int[n];
        for (int i = 0; i < n; i++) {
            names[i] = md.getColumnLabel(i + 1);
            types[i] = md.getColumnType(i + 1);
            String typeName = String.valueOf(md.getColumnTypeName(i + 1)).toLowerCase(java.util.Locale.ROOT);
            if (types[i] == Types.TIMESTAMP
                    && (typeName.equals("timestamptz") || typeName.contains("with time zone"))) {
                types[i] = Types.TIMESTAMP_WITH_TIMEZONE; // PostgreSQL reports timestamptz as TIMESTAMP
            }
        }
        schema = Schema.of(names);
    }

    Row read(ResultSet rs, Location where) throws SQLException {
        Object[] v = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            v[i] = value(rs, i + 1, types[i]);
        }
        return Row.of(schema, v, where);
    }

    static Object value(ResultSet rs, int col, int type) throws SQLException {
        Object o;
        switch (type) {
            case Types.VARCHAR:
            case Types.CHAR:
            case Types.LONGVARCHAR:
            case Types.NVARCHAR:
            case Types.NCHAR:
            case Types.LONGNVARCHAR:
                return rs.getString(col); // null for SQL NULL; the cheapest call on every driver
            case Types.DATE:
                o = rs.getObject(col, LocalDate.class);
                break;
            case Types.TIMESTAMP:
                o = rs.getObject(col, LocalDateTime.class);
                break;
            case Types.TIMESTAMP_WITH_TIMEZONE:
                o = rs.getObject(col, OffsetDateTime.class);
                break;
            case Types.ARRAY:
            case Types.OTHER:
            case Types.STRUCT:
            case Types.SQLXML:
                o = rs.getString(col); // json, uuid, arrays, xml, ...: their text
                break;
            default:
                o = rs.getObject(col);
        }
        if (o instanceof java.sql.Timestamp) {
            o = ((java.sql.Timestamp) o).toLocalDateTime();
        } else if (o instanceof java.sql.Date) {
            o = ((java.sql.Date) o).toLocalDate();
        } else if (o instanceof java.sql.Clob) {
            java.sql.Clob c = (java.sql.Clob) o;
            o = c.getSubString(1, (int) c.length());
        }
        return rs.wasNull() ? null : o;
    }
}
