package dev.execlog.cli;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads points in time: ISO-8601 with a zone ({@code 2026-11-29T10:02:11Z}), a local date-time
 * ({@code 2026-11-29T10:02:11} or {@code "2026-11-29 10:02:11"}) or date in this machine's zone,
 * or an age such as {@code 7d} or {@code 3h}, meaning that long ago.
 */
final class TimeConverter implements ITypeConverter<Instant> {

  private final Clock clock;

  TimeConverter() {
    this(Clock.systemDefaultZone());
  }

  TimeConverter(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Instant convert(String value) {
    String v = value.trim().replace(' ', 'T');
    ZoneId zone = clock.getZone();
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException ignored) {
      // not zoned: try the local forms
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException ignored) {
      // no
    }
    try {
      return LocalDateTime.parse(v).atZone(zone).toInstant();
    } catch (DateTimeParseException ignored) {
      // no
    }
    try {
      return LocalDate.parse(v).atStartOfDay(zone).toInstant();
    } catch (DateTimeParseException ignored) {
      // no
    }
    try {
      return clock.instant().minus(DurationConverter.parse(value));
    } catch (TypeConversionException e) {
      throw new TypeConversionException("'" + value + "' is not a time; write it like 2026-11-29T10:02:11Z,"
          + " 2026-11-29 or 7d (7 days ago)");
    }
  }
}
