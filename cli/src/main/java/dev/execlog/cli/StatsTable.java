package dev.execlog.cli;

import dev.execlog.client.model.StatisticsQuery;
import dev.execlog.client.model.StatisticsReport;
import dev.execlog.client.model.TaskStatistics;
import dev.execlog.client.model.TaskStatistics.Figures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Optional;

/** Statistics for people: one table row per task (and one for all of them), then the duration chart. */
final class StatsTable {

  static final String ALL_TASKS = "(all tasks)";

  private StatsTable() {}

  static String render(StatisticsReport report, String taskId, StatisticsQuery.Bucket bucket) {
    Table t = new Table("TASK", "RUNS", "SUCCESS", "MEAN", "P50", "P95", "MAX");
    for (TaskStatistics s : report.tasks()) {
      row(t, s.taskId(), s.overall());
    }
    if (taskId != null) {
      row(t, taskId, report.total().overall());
    } else if (report.tasks().size() != 1) {
      row(t, ALL_TASKS, report.total().overall());
    }
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text);
    t.print(out);
    if (!report.total().buckets().isEmpty()) {
      out.println();
      DurationBars.print(report.total().buckets(), bucket, out);
    }
    out.flush();
    return text.toString();
  }

  private static void row(Table t, String task, Figures f) {
    t.row(task, f.runCount(), HumanFormat.percent(f.successRate()), d(f.mean()), d(f.p50()), d(f.p95()), d(f.max()));
  }

  private static String d(Optional<Duration> d) {
    return HumanFormat.duration(d.orElse(null));
  }
}
