package dev.execlog.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations as people write them: {@code 45.2} (seconds), {@code 45.2s}, {@code 500ms},
 * {@code 2m5s}, {@code 1h30m}, {@code 7d}, or ISO-8601 {@code PT2M5S}.
 */
final class DurationConverter implements ITypeConverter<Duration> {

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h|d))+");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  static Duration parse(String value) {
    String v = value.trim().toLowerCase().replace(" ", "");
    if (v.matches("\\d+(\\.\\d+)?")) {
      return seconds(Double.parseDouble(v));
    }
    if (v.startsWith("pt") || v.startsWith("p")) {
      try {
        return Duration.parse(v.toUpperCase());
      } catch (RuntimeException e) {
        throw invalid(value);
      }
    }
    if (!WHOLE.matcher(v).matches()) {
      throw invalid(value);
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(v);
    while (m.find()) {
      double n = Double.parseDouble(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofNanos(Math.round(n * 1e6));
        case "s" -> seconds(n);
        case "m" -> seconds(n * 60);
        case "h" -> seconds(n * 3600);
        default -> seconds(n * 86400);
      });
    }
    return total;
  }

  private static Duration seconds(double s) {
    return Duration.ofNanos(Math.round(s * 1e9));
  }

  private static TypeConversionException invalid(String value) {
    return new TypeConversionException("'" + value + "' is not a duration; write it like 45.2s, 2m5s, 1h30m or 7d");
  }
}
