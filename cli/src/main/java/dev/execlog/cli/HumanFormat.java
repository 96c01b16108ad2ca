package dev.execlog.cli;

import dev.execlog.client.model.StatisticsQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Times, durations and sizes as people read them: {@code 2026-11-29 10:02:11 (3 min ago)}, {@code 2m 05s}. */
final class HumanFormat {

  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final DateTimeFormatter ZONE = DateTimeFormatter.ofPattern("z");
  private static final DateTimeFormatter HOUR_UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  private static final DateTimeFormatter DAY_UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd");

  private final Clock clock;

  HumanFormat(Clock clock) {
    this.clock = clock;
  }

  /** Absolute time in the local zone, with the zone, followed by how long ago it was. */
  String time(Instant t) {
    if (t == null) {
      return "-";
    }
    return LOCAL.format(t.atZone(clock.getZone())) + " " + zone(t) + " (" + ago(t) + ")";
  }

  /** The zone's short name at {@code t}, such as UTC, CET or CEST. */
  String zone(Instant t) {
    return clock.getZone().equals(ZoneOffset.UTC) ? "UTC" : ZONE.format(t.atZone(clock.getZone()));
  }

  /** Absolute time in the local zone only, for lines printed as things happen. */
  String clockTime(Instant t) {
    return t == null ? "-" : LOCAL.format(t.atZone(clock.getZone()));
  }

  String ago(Instant t) {
    Duration d = Duration.between(t, clock.instant());
    boolean future = d.isNegative();
    long s = Math.abs(d.getSeconds());
    if (s < 10) {
      return "just now";
    }
    String amount;
    if (s < 60) {
      amount = s + " s";
    } else if (s < 3600) {
      amount = s / 60 + " min";
    } else if (s < 86400) {
      amount = s / 3600 + " h";
    } else if (s < 86400L * 60) {
      long days = s / 86400;
      amount = days + (days == 1 ? " day" : " days");
    } else {
      long months = s / (86400L * 30);
      amount = months + " months";
    }
    return future ? "in " + amount : amount + " ago";
  }

  /** Durations: {@code 850ms}, {@code 45.2s}, {@code 2m 05s}, {@code 1h 02m}, {@code 3d 04h}. */
  static String duration(Duration d) {
    if (d == null) {
      return "-";
    }
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    long s = d.getSeconds();
    if (s < 60) {
      double secs = d.toMillis() / 1000.0;
      String text = String.format(Locale.ROOT, "%.1f", secs);
      return (text.endsWith(".0") ? text.substring(0, text.length() - 2) : text) + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    }
    if (s < 86400) {
      return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
    }
    return String.format(Locale.ROOT, "%dd %02dh", s / 86400, s % 86400 / 3600);
  }

  /** Byte counts: {@code 512 B}, {@code 4.2 KiB}, {@code 12.0 MiB}. */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int i = -1;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
  }

  /** A rate from 0 to 1 as a percentage: {@code 100%}, {@code 66.7%}, {@code 0%}. */
  static String percent(double rate) {
    String text = String.format(Locale.ROOT, "%.1f", rate * 100);
    return (text.endsWith(".0") ? text.substring(0, text.length() - 2) : text) + "%";
  }

  /** The start of a statistics bucket, in UTC where buckets are aligned: {@code 2026-11-29 10:00}, {@code 2026-11-29}. */
  static String bucket(Instant start, StatisticsQuery.Bucket width) {
    return switch (width) {
      case HOUR -> HOUR_UTC.format(start.atOffset(ZoneOffset.UTC));
      default -> DAY_UTC.format(start.atOffset(ZoneOffset.UTC));
    };
  }

  static String status(boolean success) {
    return success ? "success" : "FAILED";
  }
}
