package dev.execlog.server.json;

import java.time.Instant;
import java.time.LocalDateTime;
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

  public String format(long micros) {
    Instant instant = fromMicros(micros);
    OffsetDateTime time = instant.atZone(zone).toOffsetDateTime();
    return (micros % 1_000_000 == 0 ? WHOLE_SECONDS : WITH_MICROS).format(time);
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
