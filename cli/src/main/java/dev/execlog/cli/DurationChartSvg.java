package dev.execlog.cli;

import dev.execlog.client.model.StatisticsQuery;
import dev.execlog.client.model.TaskStatistics.Bucket;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A bar chart of durations per bucket as a standalone SVG document: for each bucket the longest run
 * as a pale bar and the median as a dark bar in front of it, a duration axis with ticks, bucket
 * labels, a title and a legend. Written by hand, so it needs no charting library.
 */
final class DurationChartSvg {

  private static final int LEFT = 72;
  private static final int RIGHT = 24;
  private static final int TOP = 56;
  private static final int BOTTOM = 84;
  private static final int PLOT_HEIGHT = 240;
  private static final int TICKS = 5;
  private static final String MAX_COLOR = "#f4b183";
  private static final String P50_COLOR = "#2f5597";

  private DurationChartSvg() {}

  static String render(List<Bucket> buckets, StatisticsQuery.Bucket width, String title) {
    int slot = buckets.size() > 24 ? 20 : 44;
    int plotWidth = Math.max(360, buckets.size() * slot);
    int w = LEFT + plotWidth + RIGHT;
    int h = TOP + PLOT_HEIGHT + BOTTOM;
    double top = niceCeiling(buckets.stream().mapToDouble(b -> seconds(b.figures().max())).max().orElse(0));
    StringBuilder s = new StringBuilder()
        .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
            + " viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">%n", w, h, w, h))
        .append(String.format(Locale.ROOT, "  <rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", w, h))
        .append(text(LEFT, 24, "start", "font-size=\"16\" font-weight=\"bold\"",
            title + " per " + width.name().toLowerCase() + " (UTC)"));
    legend(s, LEFT, 42);
    int baseline = TOP + PLOT_HEIGHT;
    for (int i = 0; i <= TICKS; i++) {
      double value = top * i / TICKS;
      double y = baseline - PLOT_HEIGHT * (double) i / TICKS;
      s.append(String.format(Locale.ROOT, "  <line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#dddddd\"/>%n",
          LEFT, y, LEFT + plotWidth, y));
      s.append(text(LEFT - 6, y + 4, "end", "", HumanFormat.duration(Duration.ofMillis(Math.round(value * 1000)))));
    }
    if (buckets.isEmpty()) {
      s.append(text(LEFT + plotWidth / 2.0, TOP + PLOT_HEIGHT / 2.0, "middle", "fill=\"#666666\"",
          "No runs in this window"));
    }
    double step = (double) plotWidth / Math.max(1, buckets.size());
    for (int i = 0; i < buckets.size(); i++) {
      Bucket b = buckets.get(i);
      double x = LEFT + i * step + step * 0.2;
      double barWidth = step * 0.6;
      String label = HumanFormat.bucket(b.start(), width);
      bar(s, x, barWidth, seconds(b.figures().max()), top, baseline, MAX_COLOR,
          label + ": longest " + HumanFormat.duration(b.figures().max().orElse(null)));
      bar(s, x, barWidth, seconds(b.figures().p50()), top, baseline, P50_COLOR,
          label + ": median " + HumanFormat.duration(b.figures().p50().orElse(null)) + " over "
              + b.figures().runCount() + " runs");
      double cx = x + barWidth / 2;
      s.append(String.format(Locale.ROOT, "  <text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" transform=\"rotate(-40 %.1f %d)\">%s</text>%n",
          cx, baseline + 16, cx, baseline + 16, escape(label)));
    }
    s.append(String.format(Locale.ROOT, "  <line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
        LEFT, TOP, LEFT, baseline));
    s.append(String.format(Locale.ROOT, "  <line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
        LEFT, baseline, LEFT + plotWidth, baseline));
    s.append(String.format(Locale.ROOT, "  <text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">duration</text>%n",
        TOP + PLOT_HEIGHT / 2, TOP + PLOT_HEIGHT / 2));
    return s.append("</svg>\n").toString();
  }

  private static void legend(StringBuilder s, int x, int y) {
    s.append(String.format(Locale.ROOT, "  <rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n", x, y - 10, P50_COLOR))
        .append(text(x + 16, y, "start", "", "median (p50)"))
        .append(String.format(Locale.ROOT, "  <rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n", x + 110, y - 10, MAX_COLOR))
        .append(text(x + 126, y, "start", "", "longest run (max)"));
  }

  private static void bar(StringBuilder s, double x, double width, double value, double top, int baseline,
      String color, String tooltip) {
    double height = top <= 0 ? 0 : PLOT_HEIGHT * value / top;
    s.append(String.format(Locale.ROOT,
        "  <rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s</title></rect>%n",
        x, baseline - height, width, height, color, escape(tooltip)));
  }

  private static String text(double x, double y, String anchor, String attributes, String content) {
    return String.format(Locale.ROOT, "  <text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>%n",
        x, y, anchor, attributes.isEmpty() ? "" : " " + attributes, escape(content));
  }

  /** The smallest of 1, 2, 2.5 or 5 times a power of ten at or above {@code v}; 1 for nothing. */
  static double niceCeiling(double v) {
    if (v <= 0) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * magnitude >= v) {
        return m * magnitude;
      }
    }
    return 10 * magnitude;
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static double seconds(Optional<Duration> d) {
    return d.map(x -> x.toNanos() / 1e9).orElse(0.0);
  }
}
