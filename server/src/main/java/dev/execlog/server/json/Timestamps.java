package dev.execlog.server.json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The file's timestamps. The reference library writes local time with no zone; execlog reads both
 * forms (a zone-less time is taken in the server's zone) and writes ISO-8601 with an explicit
 * offset, which Python's {@code datetime.fromisoformat} still parses.
 */
public final class Timestamps {

  private static final DateTimeFormatter WHOLE_SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");
  private static final DateTimeFormatter WITH_MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx");

  private final ZoneId zone;

  public Timestamps(ZoneId zone) {
    this.zone = zone;
  }

  public static Timestamps systemDefault() {
    return new Timestamps(ZoneId.systemDefault());
  }

  /** Microseconds since the epoch, or {@code null} when the text is not an ISO-8601 time. */
  public Long parseMicros(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    long fast = parseCommonForm(text);
    if (fast != NOT_COMMON) {
      return fast;
    }
    String t = text.trim().replace(' ', 'T');
    try {
      return toMicros(OffsetDateTime.parse(t).toInstant());
    } catch (DateTimeParseException ignored) {
      // fall through: the reference library's zone-less form
    }
    try {
      return toMicros(LocalDateTime.parse(t).atZone(zone).toInstant());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static final long NOT_COMMON = Long.MIN_VALUE;

  /**
   * The forms the reference library and execlog write, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}][Z|±HH:MM]},
   * read without java.time's general parser: loading a log of a million runs parses a million of
   * them. Returns {@link #NOT_COMMON} for anything else, which the general parser then handles.
   */
  private long parseCommonForm(String t) {
    int n = t.length();
    if (n < 19 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
        || t.charAt(16) != ':') {
      return NOT_COMMON;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 2);
    int day = digits(t, 8, 2);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
        || minute > 59 || second < 0 || second > 59) {
      return NOT_COMMON;
    }
    int i = 19;
    long micros = 0;
    if (i < n && t.charAt(i) == '.') {
      int start = ++i;
      while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        if (i - start < 6) {
          micros = micros * 10 + (t.charAt(i) - '0');
        }
        i++;
      }
      int len = i - start;
      if (len == 0 || len > 9) {
        return NOT_COMMON;
      }
      for (int k = len; k < 6; k++) {
        micros *= 10;
      }
    }
    LocalDate date;
    try {
      date = LocalDate.of(year, month, day);
    } catch (DateTimeException e) {
      return NOT_COMMON;
    }
    long localSeconds = date.toEpochDay() * 86_400L + hour * 3600L + minute * 60L + second;
    long offsetSeconds;
    if (i == n) {
      LocalDateTime local = LocalDateTime.of(date, LocalTime.of(hour, minute, second));
      offsetSeconds = zone.getRules().getOffset(local).getTotalSeconds();
    } else if (i == n - 1 && t.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
      int oh = digits(t, i + 1, 2);
      int om = digits(t, i + 4, 2);
      if (oh < 0 || oh > 18 || om < 0 || om > 59) {
        return NOT_COMMON;
      }
      offsetSeconds = (oh * 3600L + om * 60L) * (t.charAt(i) == '-' ? -1 : 1);
    } else {
      return NOT_COMMON;
    }
    return (localSeconds - offsetSeconds) * 1_000_000L + micros;
  }

  /** The decimal number in {@code t[from, from + count)}, or -1 when a character is not a digit. */
  private static int digits(String t, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /**
   * ISO-8601 with the server zone's offset, such as {@code 2025-05-01T12:00:00.250001+02:00}
   * (microseconds only when there are any). Built by hand: every fold, export and journal entry
   * writes one per run, and java.time's formatter is several times slower.
   */
  public String format(long micros) {
    long seconds = Math.floorDiv(micros, 1_000_000L);
    int fraction = (int) Math.floorMod(micros, 1_000_000L);
    int offset = zone.getRules().getOffset(Instant.ofEpochSecond(seconds)).getTotalSeconds();
    long local = seconds + offset;
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(local, 86_400L));
    int secondOfDay = (int) Math.floorMod(local, 86_400L);
    StringBuilder b = new StringBuilder(32);
    int year = date.getYear();
    if (year < 0 || year > 9999) {
      return (fraction == 0 ? WHOLE_SECONDS : WITH_MICROS).format(fromMicros(micros).atZone(zone).toOffsetDateTime());
    }
    pad(b, year, 4).append('-');
    pad(b, date.getMonthValue(), 2).append('-');
    pad(b, date.getDayOfMonth(), 2).append('T');
    pad(b, secondOfDay / 3600, 2).append(':');
    pad(b, secondOfDay / 60 % 60, 2).append(':');
    pad(b, secondOfDay % 60, 2);
    if (fraction != 0) {
      pad(b.append('.'), fraction, 6);
    }
    b.append(offset < 0 ? '-' : '+');
    int abs = Math.abs(offset);
    pad(b, abs / 3600, 2).append(':');
    return pad(b, abs / 60 % 60, 2).toString();
  }

  private static StringBuilder pad(StringBuilder b, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      b.append('0');
    }
    return b.append(digits);
  }


  public static long toMicros(Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  public static Instant fromMicros(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  public static long nowMicros() {
    return toMicros(Instant.now().truncatedTo(ChronoUnit.MICROS));
  }
}
