package dev.execlog.cli;

import dev.execlog.client.model.StatisticsQuery;
import dev.execlog.client.model.StatisticsReport;
import java.nio.file.Path;
import dev.execlog.client.model.TaskStatistics;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stats", mixinStandardHelpOptions = true,
    description = {"Show run counts, success rates and durations (mean, median, 95th percentile, longest),",
        "per task and over time: a table and a bar chart per day (or hour, or week), JSON, or an SVG chart.",
        "Durations count every run, failed or not; buckets are aligned in UTC."},
    footer = {"", "Examples:",
        "  execlog stats",
        "  execlog stats t_1I --since 30d --by week",
        "  execlog stats t_1I --from 2026-11-01 --to 2026-12-01 --format svg -o t_1I.svg",
        "  execlog stats --by week --format svg --per-task -o tasks.svg",
        "  execlog stats --json | jq '.tasks[] | {task_id, success_rate}'"})
final class StatsCommand extends ServerCommand {

  @Override
  List<String> formats() {
    return List.of("table", "json", "yaml", "svg");
  }

  /** Bucket widths as written on the command line. */
  enum By { NONE, HOUR, DAY, WEEK }

  @Parameters(paramLabel = "TASK", arity = "0..1", description = "Only this task (default: every task, and all together).")
  String taskId;

  @Mixin
  TimeWindow window;

  @Option(names = "--by", paramLabel = "hour|day|week|none", defaultValue = "day",
      description = "Width of the time series buckets (default: ${DEFAULT-VALUE}; none for no series).")
  By by;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of stdout ('-' is stdout).")
  Path output;

  @Option(names = "--per-task",
      description = "With --format svg and no TASK: one small chart per task in a grid, instead of one for all.")
  boolean perTask;

  @Option(names = "--columns", paramLabel = "N", defaultValue = "4",
      description = "Charts per row with --per-task (default: ${DEFAULT-VALUE}).")
  int columns;

  /** Each task's own time series: the all-tasks answer carries overall figures only per task. */
  private List<TaskStatistics> series(Session session, StatisticsReport report, StatisticsQuery.Bucket bucket) {
    List<TaskStatistics> tasks = new ArrayList<>();
    for (TaskStatistics t : report.tasks()) {
      StatisticsQuery q = StatisticsQuery.task(t.taskId()).between(window.since, window.until).by(bucket);
      tasks.add(session.call("get the statistics of task " + t.taskId(), () -> session.client().statistics(q)).total());
    }
    return tasks;
  }

  @Override
  ExitCode execute(Session session) {
    String f = session.format() == null ? "table" : session.format();
    StatisticsQuery.Bucket bucket = StatisticsQuery.Bucket.valueOf(by.name());
    if (f.equals("svg") && bucket == StatisticsQuery.Bucket.NONE) {
      throw new CliFailure("stats", "an SVG chart needs buckets: use --by hour, day or week", ExitCode.USAGE);
    }
    StatisticsQuery query = (taskId == null ? StatisticsQuery.allTasks() : StatisticsQuery.task(taskId))
        .between(window.since, window.until).by(bucket);
    String what = "statistics of " + (taskId == null ? "all tasks" : "task " + taskId);
    StatisticsReport report = session.call("get the " + what, () -> session.client().statistics(query));
    if (f.equals("table") && report.total().overall().runCount() == 0) {
      session.printer().note("No runs in this window.");
      return ExitCode.OK;
    }
    String text = switch (f) {
      case "table" -> StatsTable.render(report, taskId, bucket);
      case "svg" -> perTask && taskId == null
          ? DurationChartSvg.smallMultiples(series(session, report, bucket), report.total().buckets(), bucket,
              "Durations", Math.max(1, columns))
          : DurationChartSvg.render(report.total().buckets(), bucket,
              "Durations of " + (taskId == null ? "all tasks" : taskId));
      default -> Printer.data(session.printer().statisticsNode(report), f);
    };
    session.printer().document(text, output, what);
    return ExitCode.OK;
  }
}
