package dev.sluice.logs;

import dev.sluice.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * logfmt: {@code key=value key="quoted \" value" flag}. Values are strings; a key without {@code =} is
 * {@code Boolean.TRUE}; {@code key=} is the empty string. A key that occurs twice keeps its first place and its
 * last value.
 */
final class LogfmtParser extends VaryingParser {
    private static final long serialVersionUID = 1L;

    @Override
    String notA() {
        return "not a logfmt line";
    }

    @Override
    Row parse(String s, dev.sluice.Location origin) {
        int n = s.length();
        List<String> keys = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        int p = 0;
        while (true) {
            while (p < n && s.charAt(p) <= ' ') {
                p++;
            }
            if (p >= n) {
                break;
            }
            int start = p;
            while (p < n && s.charAt(p) > ' ' && s.charAt(p) != '=' && s.charAt(p) != '"') {
                p++;
            }
            if (p == start) {
                throw fail(s.charAt(p) == '=' ? "a value without a key" : "a quote where a key should be", p);
            }
            String key = s.substring(start, p);
            Object value;
            if (p < n && s.charAt(p) == '=') {
                p++;
                if (p < n && s.charAt(p) == '"') {
                    int open = p++;
                    StringBuilder b = null;
                    int from = p;
                    while (true) {
                        if (p >= n) {
                            throw fail("the quoted value of " + key + " is not closed", open);
                        }
                        char c = s.charAt(p);
                        if (c == '"') {
                            break;
                        }
                        if (c == '\\' && p + 1 < n) {
                            if (b == null) {
                                b = new StringBuilder();
                            }
                            b.append(s, from, p);
                            char e = s.charAt(p + 1);
                            switch (e) {
                                case 'n':
                                    b.append('\n');
                                    break;
                                case 't':
                                    b.append('\t');
                                    break;
                                case 'r':
                                    b.append('\r');
                                    break;
                                case '"':
                                case '\\':
                                    b.append(e);
                                    break;
                                default:
                                    b.append('\\').append(e);
                            }
                            p += 2;
                            from = p;
                            continue;
                        }
                        p++;
                    }
                    value = b == null
                            ? s.substring(from, p)
                            : b.append(s, from, p).toString();
                    p++;
                    if (p < n && s.charAt(p) > ' ') {
                        throw fail("the quoted value of " + key + " is not followed by a space", p);
                    }
                } else {
                    int vs = p;
                    while (p < n && s.charAt(p) > ' ') {
                        p++;
                    }
                    value = s.substring(vs, p);
                }
            } else if (p < n && s.charAt(p) == '"') {
                throw fail("a quote in the key " + key, p);
            } else {
                value = Boolean.TRUE;
            }
            int at = keys.indexOf(key);
            if (at >= 0) {
                values.set(at, value);
            } else {
                keys.add(key);
                values.add(value);
            }
        }
        return row(keys, values.toArray(), origin);
    }
}
