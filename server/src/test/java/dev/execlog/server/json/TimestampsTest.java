package dev.execlog.server.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast reader of common forms agrees with java.time on every form, and refuses what java.time refuses. */
class TimestampsTest {

  private final ZoneId zone = ZoneId.of("Europe/Paris");
  private final Timestamps timestamps = new Timestamps(zone);

  @ParameterizedTest
  @ValueSource(strings = {"2025-05-01T12:00:00", "2025-05-01T12:00:00.5", "2025-05-01T12:00:00.123456",
      "2025-05-01T12:00:00.123456789", "2025-12-31T23:59:59Z", "2024-02-29T00:00:00+05:30",
      "2025-05-01T12:00:00.250001-03:00", "2025-03-30T02:30:00", "1970-01-01T00:00:00Z"})
  void parseMicros_agreesWithJavaTime(String text) {
    long expected;
    try {
      OffsetDateTime t = OffsetDateTime.parse(text);
      expected = ChronoUnit.MICROS.between(Instant.EPOCH, t.toInstant());
    } catch (DateTimeParseException e) {
      expected = ChronoUnit.MICROS.between(Instant.EPOCH, LocalDateTime.parse(text).atZone(zone).toInstant());
    }
    assertEquals(expected, timestamps.parseMicros(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"yesterday", "2025-13-01T00:00:00", "2025-02-30T00:00:00", "2025-05-01T25:00:00",
      "2025-05-01T12:00:00+5", "2025-05-01"})
  void parseMicros_refusesWhatIsNotATime(String text) {
    assertNull(timestamps.parseMicros(text));
  }

  @ParameterizedTest
  @ValueSource(longs = {0L, 1_746_100_800_000_000L, 1_746_100_800_123_456L, 1_711_846_800_000_001L,
      253_402_300_799_999_999L, 951_782_400_500_000L})
  void format_agreesWithJavaTime(long micros) {
    for (String id : new String[] {"UTC", "Europe/Paris", "America/St_Johns", "Asia/Kolkata"}) {
      ZoneId z = ZoneId.of(id);
      OffsetDateTime t = Instant.EPOCH.plus(micros, ChronoUnit.MICROS).atZone(z).toOffsetDateTime();
      String pattern = micros % 1_000_000 == 0 ? "uuuu-MM-dd'T'HH:mm:ssxxx" : "uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx";
      assertEquals(DateTimeFormatter.ofPattern(pattern).format(t), new Timestamps(z).format(micros), id);
    }
  }

  @ParameterizedTest
  @CsvSource({"2025-05-01T12:00:00Z, 1746100800000000", "2025-05-01T14:00:00.123456, 1746100800123456",
      "1970-01-01T01:00:00, 0", "2024-02-29T00:00:00+05:30, 1709145000000000"})
  void parseMicros_knownInstants(String text, long micros) {
    assertEquals(micros, timestamps.parseMicros(text), "Paris is UTC+2 in May, UTC+1 in January");
  }

  @Test
  void formatThenParse_roundTrips() {
    long micros = 1_746_100_800_123_456L;
    assertEquals(micros, timestamps.parseMicros(timestamps.format(micros)));
  }
}
