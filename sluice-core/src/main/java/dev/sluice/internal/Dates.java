package dev.sluice.internal;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.concurrent.ConcurrentHashMap;

/** Internal, not part of the API: cached strict date formatters. */
public final class Dates {
  private static final ConcurrentHashMap<String, DateTimeFormatter> FORMATTERS = new ConcurrentHashMap<>();

  private Dates() {}

  /**
   * A strict formatter for {@code pattern}. {@code yyyy} is read as the proleptic year ({@code uuuu}) so that
   * strict resolution needs no era.
   */
  public static DateTimeFormatter formatter(String pattern) {
    return FORMATTERS.computeIfAbsent(pattern, p -> DateTimeFormatter.ofPattern(p.replace('y', 'u'))
        .withResolverStyle(ResolverStyle.STRICT));
  }

  public static LocalDate parseDate(String text, String pattern) {
    if ("yyyy-MM-dd".equals(pattern)) {
      LocalDate d = isoDate(text, 0, text.length());
      if (d != null) {
        return d;
      }
    } else if ("yyyyMMdd".equals(pattern)) {
      LocalDate d = basicDate(text, 0, text.length());
      if (d != null) {
        return d;
      }
    }
    return LocalDate.parse(text, formatter(pattern));
  }

  public static LocalDateTime parseDateTime(String text, String pattern) {
    return LocalDateTime.parse(text, formatter(pattern));
  }

  /** {@code yyyy-MM-dd} in {@code s[from, to)}, or null if that is not exactly a valid date. */
  public static LocalDate isoDate(CharSequence s, int from, int to) {
    if (to - from != 10 || s.charAt(from + 4) != '-' || s.charAt(from + 7) != '-') {
      return null;
    }
    int y = digits(s, from, 4);
    int m = digits(s, from + 5, 2);
    int d = digits(s, from + 8, 2);
    return valid(y, m, d) ? LocalDate.of(y, m, d) : null;
  }

  /** {@code yyyyMMdd} in {@code s[from, to)}, or null if that is not exactly a valid date. */
  public static LocalDate basicDate(CharSequence s, int from, int to) {
    if (to - from != 8) {
      return null;
    }
    int y = digits(s, from, 4);
    int m = digits(s, from + 4, 2);
    int d = digits(s, from + 6, 2);
    return valid(y, m, d) ? LocalDate.of(y, m, d) : null;
  }

  private static boolean valid(int y, int m, int d) {
    if (y < 0 || m < 1 || m > 12 || d < 1) {
      return false;
    }
    int len;
    switch (m) {
      case 2:
        len = (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
        break;
      case 4: case 6: case 9: case 11:
        len = 30;
        break;
      default:
        len = 31;
    }
    return d <= len;
  }

  private static int digits(CharSequence s, int from, int n) {
    int v = 0;
    for (int i = from; i < from + n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
