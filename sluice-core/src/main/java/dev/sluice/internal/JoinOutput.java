package dev.sluice.internal;

import dev.sluice.Join;
import dev.sluice.Row;
import dev.sluice.Schema;
import java.util.ArrayList;
import java.util.List;

/**
 * Internal: the rows a join emits, for the hash join and the merge join alike. Columns: the left input's, then the
 * right's; a key named the same on both sides appears once ({@code USING}), other clashing right columns get
 * {@code _right}. Output rows are views over the two input rows ({@link JoinedRow}).
 */
public final class JoinOutput {
    private final Join join;
    private Schema leftSchema;
    private Schema rightSchema;
    private Shape shape;
    private Schema leftSchemaOfShape;
    private Schema rightSchemaOfShape;

    public JoinOutput(Join join) {
        this.join = join;
    }

    /** The left input's schema, for rows emitted without a left row. */
    public void left(Schema s) {
        leftSchema = s;
    }

    /** The right input's schema, for rows emitted without a right row. */
    public void right(Schema s) {
        rightSchema = s;
    }

    /** Whether an encoded key of {@code n} columns has a null column (so it matches nothing). */
    public static boolean nullKey(byte[] k, int len, int n) {
        // a key with a null column matches nothing: every key column starts with a marker, 0x01 for a value
        int p = 0;
        for (int i = 0; i < n; i++) {
            if (k[p] != 0x01) {
                return true;
            }
            p = skip(k, p + 1);
        }
        return false;
    }

    /** The offset after the value that starts (with its type byte) at {@code p}. */
    private static int skip(byte[] k, int p) {
        int t = k[p] & 0xFF;
        if (t == 0x40) {
            int q = p + 1;
            while (!(k[q] == 0 && k[q + 1] == 0)) {
                q += k[q] == 0 ? 2 : 1;
            }
            return q + 2;
        }
        return switch (t) {
            case 0x10, 0x11 -> p + 9;
            case 0x20 -> p + 17;
            case 0x30 -> p + 2;
            default -> throw new IllegalStateException("unknown key type " + t);
        };
    }

    /** Where each output column comes from. */
    private record Shape(Schema schema, int[] fromLeft, int[] fromRight, int leftPrefix) {}

    /** The output row of {@code l} and {@code r}, either of which may be null (an unmatched row). */
    public Row combine(Row l, Row r) {
        if (join.type() == Join.Type.SEMI || join.type() == Join.Type.ANTI) {
            return l;
        }
        Schema ls = l != null ? l.schema() : leftSchema;
        Schema rs = r != null ? r.schema() : rightSchema;
        if (shape == null || ls != leftSchemaOfShape || rs != rightSchemaOfShape) {
            shape = shape(ls, rs);
            leftSchemaOfShape = ls;
            rightSchemaOfShape = rs;
        }
        return new JoinedRow(shape.schema(), l, r, shape.fromLeft(), shape.fromRight(), shape.leftPrefix());
    }

    private Shape shape(Schema ls, Schema rs) {
        List<String> names = new ArrayList<>();
        List<Integer> fl = new ArrayList<>();
        List<Integer> fr = new ArrayList<>();
        java.util.Set<String> taken = new java.util.HashSet<>();
        if (ls != null) {
            for (int i = 0; i < ls.size(); i++) {
                String n = ls.name(i);
                names.add(n);
                taken.add(n);
                int k = join.leftKeys().indexOf(n);
                boolean using = k >= 0 && join.rightKeys().get(k).equals(n);
                fl.add(i);
                fr.add(using && rs != null && rs.has(n) ? rs.indexOf(n) : -1);
            }
        } else {
            for (int k = 0; k < join.leftKeys().size(); k++) {
                String n = join.leftKeys().get(k);
                if (join.rightKeys().get(k).equals(n) && rs != null && rs.has(n)) {
                    names.add(n);
                    taken.add(n);
                    fl.add(-1);
                    fr.add(rs.indexOf(n));
                }
            }
        }
        if (rs != null) {
            for (int i = 0; i < rs.size(); i++) {
                String n = rs.name(i);
                int k = join.rightKeys().indexOf(n);
                if (k >= 0 && join.leftKeys().get(k).equals(n)) {
                    continue; // a USING key: once, above
                }
                String out = n;
                for (int j = 1; taken.contains(out); j++) {
                    out = n + "_right" + (j == 1 ? "" : Integer.toString(j));
                }
                names.add(out);
                taken.add(out);
                fl.add(-1);
                fr.add(i);
            }
        }
        int prefix = 0;
        while (ls != null && prefix < ls.size() && prefix < fl.size() && fl.get(prefix) == prefix) {
            prefix++;
        }
        return new Shape(
                Schema.of(names),
                fl.stream().mapToInt(Integer::intValue).toArray(),
                fr.stream().mapToInt(Integer::intValue).toArray(),
                prefix);
    }
}
