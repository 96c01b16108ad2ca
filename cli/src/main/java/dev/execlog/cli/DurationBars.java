package dev.execlog.cli;

import dev.execlog.client.model.StatisticsQuery;
import dev.execlog.client.model.TaskStatistics.Bucket;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A terminal chart of durations per bucket, one row each: the median as a solid bar (in eighths of
 * a cell), shaded on to the longest run, all on one scale, followed by the figures.
 *
 * <pre>
 * DAY (UTC)   █ MEDIAN ░ LONGEST                P50  MAX     RUNS
 * 2026-11-28  ████████████▌░░░░░░░░░░░░░░░      45s  1m 30s  3
 * </pre>
 */
final class DurationBars {

  static final int WIDTH = 32;
  private static final String EIGHTHS = " ▏▎▍▌▋▊▉";

  private DurationBars() {}

  /** Prints the chart as a table: bucket start, bar, median, longest, runs. */
  static void print(List<Bucket> buckets, StatisticsQuery.Bucket width, PrintWriter out) {
    long scale = buckets.stream().mapToLong(b -> nanos(b.figures().max())).max().orElse(0);
    Table t = new Table(width.name() + " (UTC)", "█ MEDIAN ░ LONGEST", "P50", "MAX", "RUNS");
    for (Bucket b : buckets) {
      t.row(HumanFormat.bucket(b.start(), width), bar(nanos(b.figures().p50()), nanos(b.figures().max()), scale),
          HumanFormat.duration(b.figures().p50().orElse(null)), HumanFormat.duration(b.figures().max().orElse(null)),
          b.figures().runCount());
    }
    t.print(out);
  }

  /** A bar {@link #WIDTH} cells wide: {@code median} solid, shaded on to {@code max}, blank after. */
  static String bar(long median, long max, long scale) {
    if (scale <= 0) {
      return " ".repeat(WIDTH);
    }
    long eighths = Math.round((double) median / scale * WIDTH * 8);
    StringBuilder b = new StringBuilder("█".repeat((int) (eighths / 8)));
    if (eighths % 8 != 0) {
      b.append(EIGHTHS.charAt((int) (eighths % 8)));
    }
    int shaded = (int) Math.round((double) max / scale * WIDTH);
    while (b.length() < shaded) {
      b.append('░');
    }
    while (b.length() < WIDTH) {
      b.append(' ');
    }
    return b.toString();
  }

  private static long nanos(Optional<Duration> d) {
    return d.map(Duration::toNanos).orElse(0L);
  }
}
