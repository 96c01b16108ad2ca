package dev.execlog.cli;

import dev.execlog.client.model.StatisticsQuery;
import dev.execlog.client.model.TaskStatistics;
import dev.execlog.client.model.TaskStatistics.Bucket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Charts of durations per bucket as standalone SVG documents, written by hand (no charting
 * library). Each bucket shows the median (p50) and the 95th percentile (p95) as two bars side by
 * side, and the longest run as a whisker above them, so a typical run stays visible next to an
 * outlier. The duration axis has nice ticks: 1, 2 or 5 times a power of ten in one unit (seconds,
 * minutes or hours). {@link #smallMultiples} draws one small chart per task in a grid.
 */
final class DurationChartSvg {

  private static final int LEFT = 72;
  private static final int RIGHT = 24;
  private static final int TOP = 56;
  private static final int BOTTOM = 84;
  private static final int PLOT_HEIGHT = 240;
  static final String P50_COLOR = "#2f5597";
  static final String P95_COLOR = "#8faadc";
  static final String MAX_COLOR = "#c55a11";

  private DurationChartSvg() {}

  /** The axis of a chart: its unit and its tick values in that unit, from 0 to the top tick. */
  record Ticks(String unit, double unitSeconds, List<Double> values) {
    double topSeconds() {
      return values.get(values.size() - 1) * unitSeconds;
    }

    String label(double value) {
      String n = value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
      return value == 0 ? "0" : n + " " + unit;
    }
  }

  /**
   * Ticks from 0 covering {@code maxSeconds}: the unit is seconds below 2 minutes, minutes below 2
   * hours, else hours (below a second: milliseconds); the step is 1, 2 or 5 times a power of ten
   * in that unit, giving 3 to 6 intervals.
   */
  static Ticks ticks(double maxSeconds) {
    String unit;
    double unitSeconds;
    if (maxSeconds < 1) {
      unit = "ms";
      unitSeconds = 0.001;
    } else if (maxSeconds < 120) {
      unit = "s";
      unitSeconds = 1;
    } else if (maxSeconds < 7200) {
      unit = "min";
      unitSeconds = 60;
    } else {
      unit = "h";
      unitSeconds = 3600;
    }
    double max = Math.max(maxSeconds / unitSeconds, unit.equals("ms") ? 1 : 0.5);
    double step = 0;
    for (double magnitude = Math.pow(10, Math.floor(Math.log10(max / 6))); step == 0; magnitude *= 10) {
      for (double m : new double[] {1, 2, 5}) {
        if (Math.ceil(max / (m * magnitude) - 1e-9) <= 5) {
          step = m * magnitude;
          break;
        }
      }
    }
    int intervals = (int) Math.max(1, Math.ceil(max / step - 1e-9));
    List<Double> values = new ArrayList<>();
    for (int i = 0; i <= intervals; i++) {
      values.add(Math.round(i * step * 1e6) / 1e6);
    }
    return new Ticks(unit, unitSeconds, values);
  }

  static String render(List<Bucket> buckets, StatisticsQuery.Bucket width, String title) {
    int slot = buckets.size() > 24 ? 20 : 44;
    int plotWidth = Math.max(420, buckets.size() * slot);
    int w = LEFT + plotWidth + RIGHT;
    int h = TOP + PLOT_HEIGHT + BOTTOM;
    StringBuilder s = header(w, h);
    s.append(text(LEFT, 24, "start", "font-size=\"16\" font-weight=\"bold\"",
        title + " per " + width.name().toLowerCase(Locale.ROOT) + " (UTC)"));
    legend(s, LEFT, 42);
    chart(s, buckets, width, LEFT, TOP, plotWidth, PLOT_HEIGHT, true);
    s.append(String.format(Locale.ROOT, "  <text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">"
        + "duration</text>%n", TOP + PLOT_HEIGHT / 2, TOP + PLOT_HEIGHT / 2));
    return s.append("</svg>\n").toString();
  }

  /**
   * One small chart per task, {@code columns} to a row, each on its own duration scale (its ticks
   * say which), sharing the time buckets: how each task's durations move, side by side.
   */
  static String smallMultiples(List<TaskStatistics> tasks, List<Bucket> axis, StatisticsQuery.Bucket width,
      String title, int columns) {
    int cellW = 300;
    int cellH = 220;
    int plotW = 230;
    int plotH = 120;
    int rows = Math.max(1, (tasks.size() + columns - 1) / columns);
    int w = 20 + columns * cellW;
    int h = TOP + rows * cellH + 10;
    StringBuilder s = header(w, h);
    s.append(text(20, 24, "start", "font-size=\"16\" font-weight=\"bold\"",
        title + " per " + width.name().toLowerCase(Locale.ROOT) + " (UTC), one chart per task"));
    legend(s, 20, 42);
    for (int i = 0; i < tasks.size(); i++) {
      TaskStatistics t = tasks.get(i);
      int x = 20 + (i % columns) * cellW + 50;
      int y = TOP + (i / columns) * cellH + 24;
      s.append("  <g class=\"task\" data-task=\"").append(escape(t.taskId())).append("\">\n");
      s.append(text(x, y - 8, "start", "font-weight=\"bold\"", t.taskId() + "  (" + t.overall().runCount()
          + " runs, p50 " + HumanFormat.duration(t.overall().p50().orElse(null)) + ")"));
      chart(s, aligned(t.buckets(), axis), width, x, y, plotW, plotH, false);
      s.append("  </g>\n");
    }
    return s.append("</svg>\n").toString();
  }

  /** A task's buckets on the common axis: an empty bucket where the task had no run. */
  static List<Bucket> aligned(List<Bucket> own, List<Bucket> axis) {
    if (axis.isEmpty()) {
      return own;
    }
    Map<Instant, Bucket> byStart = new HashMap<>();
    own.forEach(b -> byStart.put(b.start(), b));
    List<Bucket> out = new ArrayList<>();
    for (Bucket a : axis) {
      out.add(byStart.getOrDefault(a.start(), new Bucket(a.start(), a.end(), new TaskStatistics.Figures(0, 0, 0,
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()))));
    }
    return out;
  }

  private static StringBuilder header(int w, int h) {
    return new StringBuilder()
        .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
            + " viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">%n", w, h, w, h))
        .append(String.format(Locale.ROOT, "  <rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", w, h));
  }

  /** Axes, ticks, bars and bucket labels of one chart with its plot area at (x, y). */
  private static void chart(StringBuilder s, List<Bucket> buckets, StatisticsQuery.Bucket width, int x0, int y0,
      int plotWidth, int plotHeight, boolean allLabels) {
    double maxSeconds = buckets.stream().mapToDouble(b -> seconds(b.figures().max())).max().orElse(0);
    Ticks ticks = ticks(maxSeconds);
    double top = ticks.topSeconds();
    int baseline = y0 + plotHeight;
    List<Double> values = ticks.values();
    for (int i = 0; i < values.size(); i++) {
      double y = baseline - plotHeight * (double) i / (values.size() - 1);
      s.append(String.format(Locale.ROOT, "  <line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\""
          + " stroke=\"#dddddd\"/>%n", x0, y, x0 + plotWidth, y));
      s.append(text(x0 - 6, y + 4, "end", "class=\"tick\"", ticks.label(values.get(i))));
    }
    if (buckets.isEmpty()) {
      s.append(text(x0 + plotWidth / 2.0, y0 + plotHeight / 2.0, "middle", "fill=\"#666666\"",
          "No runs in this window"));
    }
    double step = (double) plotWidth / Math.max(1, buckets.size());
    int every = allLabels ? 1 : Math.max(1, (int) Math.ceil(buckets.size() / 4.0));
    for (int i = 0; i < buckets.size(); i++) {
      Bucket b = buckets.get(i);
      double x = x0 + i * step + step * 0.15;
      double barWidth = step * 0.35;
      String label = HumanFormat.bucket(b.start(), width);
      TaskStatistics.Figures f = b.figures();
      if (f.runCount() > 0) {
        bar(s, x, barWidth, seconds(f.p50()), top, baseline, plotHeight, P50_COLOR, "p50",
            label + ": median " + HumanFormat.duration(f.p50().orElse(null)) + " over " + f.runCount() + " runs");
        bar(s, x + barWidth, barWidth, seconds(f.p95()), top, baseline, plotHeight, P95_COLOR, "p95",
            label + ": 95th percentile " + HumanFormat.duration(f.p95().orElse(null)));
        double cx = x + barWidth;
        double yMax = baseline - (top <= 0 ? 0 : plotHeight * seconds(f.max()) / top);
        double yP95 = baseline - (top <= 0 ? 0 : plotHeight * seconds(f.p95()) / top);
        s.append(String.format(Locale.ROOT, "  <g class=\"max\"><title>%s</title><line x1=\"%.1f\" y1=\"%.1f\""
            + " x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\""
            + " stroke=\"%s\" stroke-width=\"2\"/></g>%n",
            escape(label + ": longest " + HumanFormat.duration(f.max().orElse(null))), cx, yP95, cx, yMax, MAX_COLOR,
            cx - barWidth * 0.6, yMax, cx + barWidth * 0.6, yMax, MAX_COLOR));
      }
      if (i % every == 0) {
        double cx = x + barWidth;
        s.append(String.format(Locale.ROOT, "  <text class=\"bucket\" x=\"%.1f\" y=\"%d\" text-anchor=\"end\""
            + " transform=\"rotate(-40 %.1f %d)\">%s</text>%n", cx, baseline + 16, cx, baseline + 16, escape(label)));
      }
    }
    s.append(String.format(Locale.ROOT, "  <line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
        x0, y0, x0, baseline));
    s.append(String.format(Locale.ROOT, "  <line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
        x0, baseline, x0 + plotWidth, baseline));
  }

  private static void legend(StringBuilder s, int x, int y) {
    s.append(swatch(x, y, P50_COLOR)).append(text(x + 16, y, "start", "", "median (p50)"))
        .append(swatch(x + 110, y, P95_COLOR)).append(text(x + 126, y, "start", "", "95th percentile (p95)"))
        .append(String.format(Locale.ROOT, "  <line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
            + " stroke-width=\"2\"/>%n", x + 270, y - 4, x + 282, y - 4, MAX_COLOR))
        .append(text(x + 288, y, "start", "", "longest run (max)"));
  }

  private static String swatch(int x, int y, String color) {
    return String.format(Locale.ROOT, "  <rect class=\"legend\" x=\"%d\" y=\"%d\" width=\"12\" height=\"12\""
        + " fill=\"%s\"/>%n", x, y - 10, color);
  }

  private static void bar(StringBuilder s, double x, double width, double value, double top, int baseline,
      int plotHeight, String color, String kind, String tooltip) {
    double height = top <= 0 ? 0 : plotHeight * value / top;
    s.append(String.format(Locale.ROOT,
        "  <rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s</title></rect>%n",
        kind, x, baseline - height, width, height, color, escape(tooltip)));
  }

  private static String text(double x, double y, String anchor, String attributes, String content) {
    return String.format(Locale.ROOT, "  <text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>%n",
        x, y, anchor, attributes.isEmpty() ? "" : " " + attributes, escape(content));
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static double seconds(Optional<Duration> d) {
    return d.map(x -> x.toNanos() / 1e9).orElse(0.0);
  }
}
