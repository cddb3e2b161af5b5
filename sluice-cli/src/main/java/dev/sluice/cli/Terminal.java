package dev.sluice.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * What the command knows about the terminal its standard error goes to: whether there is one, and its width.
 *
 * <p>Java cannot ask whether standard error is a terminal, so the launcher says so ({@code -Dsluice.stderr.tty=true}
 * or {@code false}, from {@code [ -t 2 ]}); without it, a console (standard input and output on a terminal) counts.
 * The width is {@code $COLUMNS}, else {@code stty size} on {@code /dev/tty}, else 80.
 */
final class Terminal {
    private static volatile int columns;

    private Terminal() {}

    /** Standard error is an interactive terminal that can redraw a line (not {@code TERM=dumb}). */
    static boolean stderrIsTerminal() {
        String p = System.getProperty("sluice.stderr.tty");
        boolean tty = p != null ? Boolean.parseBoolean(p) : System.console() != null;
        return tty && !"dumb".equals(System.getenv("TERM"));
    }

    /** The terminal's width in columns (at least 40); asked once. */
    static int columns() {
        int c = columns;
        if (c == 0) {
            c = parse(System.getProperty("sluice.columns"));
            if (c <= 0) {
                c = parse(System.getenv("COLUMNS"));
            }
            if (c <= 0) {
                c = stty();
            }
            columns = c = c <= 0 ? 80 : Math.max(40, c);
        }
        return c;
    }

    private static int parse(String s) {
        try {
            return s == null ? -1 : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@code stty size < /dev/tty} prints "rows columns"; -1 if there is no terminal. */
    private static int stty() {
        File tty = new File("/dev/tty");
        if (!tty.canRead()) {
            return -1;
        }
        try {
            Process p = new ProcessBuilder("stty", "size")
                    .redirectInput(tty)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (!p.waitFor(2, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return -1;
            }
            String[] parts = out.split("\\s+");
            return parts.length == 2 ? parse(parts[1]) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Breaks {@code text} at spaces into lines of at most {@code width} characters; later lines are indented. */
    static String wrap(String text, int width, String indent) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            while (line.length() + 1 + word.length() > width && word.length() > width - indent.length() - 1) {
                // a word longer than a line (a path) is broken where the line ends
                boolean fresh = line.length() == 0 || line.toString().equals(indent);
                int room = width - line.length() - (fresh ? 0 : 1);
                if (room >= 10) {
                    line.append(fresh ? "" : " ").append(word, 0, room);
                    word = word.substring(room);
                }
                out.append(line).append(System.lineSeparator());
                line.setLength(0);
                line.append(indent);
            }
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                out.append(line).append(System.lineSeparator());
                line.setLength(0);
                line.append(indent);
            }
            if (line.length() > 0 && !line.toString().equals(indent)) {
                line.append(' ');
            }
            line.append(word);
        }
        return out.append(line).toString();
    }
}
