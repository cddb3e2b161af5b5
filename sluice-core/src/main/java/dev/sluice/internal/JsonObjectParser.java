package dev.sluice.internal;

import java.util.List;

/**
 * Internal: a parser of one JSON object (RFC 8259) whose values become strings: strings as their text, numbers and
 * booleans as their JSON text, {@code null} as null, nested objects and arrays as their JSON text. Used by JSON Lines
 * reading and by the JSON log format.
 */
public final class JsonObjectParser {
    private final String s;
    private int i;

    /** A parser of {@code s}, which must hold exactly one object. */
    public JsonObjectParser(String s) {
        this.s = s;
    }

    /**
     * Adds the object's keys and values, in order, to {@code keys} and {@code values}.
     *
     * @throws IllegalArgumentException if the text is not one JSON object; the message names the column
     */
    public void parse(List<String> keys, List<String> values) {
        ws();
        expect('{');
        ws();
        if (peek() == '}') {
            i++;
        } else {
            while (true) {
                ws();
                if (peek() != '"') {
                    throw fail("expected a key in quotes");
                }
                keys.add(string());
                ws();
                expect(':');
                ws();
                values.add(value());
                ws();
                char c = next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw fail("expected ',' or '}'", i - 1);
                }
            }
        }
        ws();
        if (i < s.length()) {
            throw fail("text after the object");
        }
    }

    private String value() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        int start = i;
        if (c == '{' || c == '[') {
            skipNested();
            return s.substring(start, i);
        }
        if (s.startsWith("null", i)) {
            i += 4;
            return null;
        }
        if (s.startsWith("true", i)) {
            i += 4;
            return "true";
        }
        if (s.startsWith("false", i)) {
            i += 5;
            return "false";
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            i++;
            while (i < s.length() && "0123456789.eE+-".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            String n = s.substring(start, i);
            if (!n.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
                throw fail("'" + n + "' is not a JSON number", start);
            }
            return n;
        }
        throw fail("expected a value");
    }

    private void skipNested() {
        int depth = 0;
        do {
            char c = next();
            if (c == '"') {
                i--;
                string();
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
        } while (depth > 0);
    }

    private String string() {
        expect('"');
        StringBuilder b = null;
        int start = i;
        while (true) {
            if (i >= s.length()) {
                throw fail("a string is not closed");
            }
            char c = s.charAt(i++);
            if (c == '"') {
                return b == null
                        ? s.substring(start, i - 1)
                        : b.append(s, start, i - 1).toString();
            }
            if (c < 0x20) {
                throw fail("a control character in a string", i - 1);
            }
            if (c == '\\') {
                if (b == null) {
                    b = new StringBuilder();
                }
                b.append(s, start, i - 1);
                char e = next();
                switch (e) {
                    case '"':
                        b.append('"');
                        break;
                    case '\\':
                        b.append('\\');
                        break;
                    case '/':
                        b.append('/');
                        break;
                    case 'b':
                        b.append('\b');
                        break;
                    case 'f':
                        b.append('\f');
                        break;
                    case 'n':
                        b.append('\n');
                        break;
                    case 'r':
                        b.append('\r');
                        break;
                    case 't':
                        b.append('\t');
                        break;
                    case 'u':
                        if (i + 4 > s.length()) {
                            throw fail("a \\u escape is cut short");
                        }
                        try {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        } catch (NumberFormatException x) {
                            throw fail("a bad \\u escape");
                        }
                        i += 4;
                        break;
                    default:
                        throw fail("a bad escape '\\" + e + "'", i - 2);
                }
                start = i;
            }
        }
    }

    private void ws() {
        while (i < s.length()
                && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\r' || s.charAt(i) == '\n')) {
            i++;
        }
    }

    private char peek() {
        if (i >= s.length()) {
            throw fail("the line ends too early");
        }
        return s.charAt(i);
    }

    private char next() {
        char c = peek();
        i++;
        return c;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw fail("expected '" + c + "'");
        }
        i++;
    }

    private IllegalArgumentException fail(String what) {
        return fail(what, i);
    }

    private IllegalArgumentException fail(String what, int at) {
        return new IllegalArgumentException(what + " at column " + (at + 1));
    }
}
