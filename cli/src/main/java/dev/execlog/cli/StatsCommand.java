package dev.execlog.cli;

import dev.execlog.client.model.StatisticsQuery;
import dev.execlog.client.model.StatisticsReport;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stats", mixinStandardHelpOptions = true,
    description = {"Show run counts, success rates and durations (mean, median, 95th percentile, longest),",
        "per task and over time: a table and a bar chart per day (or hour, or week), JSON, or an SVG chart.",
        "Durations count every run, failed or not; buckets are aligned in UTC."},
    footer = {"", "Examples:",
        "  execlog stats",
        "  execlog stats t_1I --since 30d --by week",
        "  execlog stats t_1I --from 2026-11-01 --to 2026-12-01 --format svg -o durations.svg",
        "  execlog stats --json | jq '.tasks[] | {task_id, success_rate}'"})
final class StatsCommand extends ServerCommand {

  /** What to print. */
  enum Format { TABLE, JSON, SVG }

  /** Bucket widths as written on the command line. */
  enum By { NONE, HOUR, DAY, WEEK }

  @Parameters(paramLabel = "TASK", arity = "0..1", description = "Only this task (default: every task, and all together).")
  String taskId;

  @Option(names = "--since", converter = TimeConverter.class, paramLabel = "TIME",
      description = "Only runs at or after this time: 30d (30 days ago), 2026-11-29 or 2026-11-29T10:00:00Z.")
  Instant since;

  @Option(names = "--from", converter = TimeConverter.class, paramLabel = "TIME",
      description = "Only runs at or after this time (same as --since).")
  Instant from;

  @Option(names = "--to", converter = TimeConverter.class, paramLabel = "TIME", description = "Only runs before this time.")
  Instant to;

  @Option(names = "--by", paramLabel = "hour|day|week|none", defaultValue = "day",
      description = "Width of the time series buckets (default: ${DEFAULT-VALUE}; none for no series).")
  By by;

  @Option(names = "--format", paramLabel = "table|json|svg",
      description = "table (with a chart), json, or an svg chart of durations (default: table; json with --json).")
  Format format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of stdout ('-' is stdout).")
  Path output;

  @Override
  ExitCode execute(Session session) {
    if (since != null && from != null) {
      throw new CliFailure("stats", "give --since or --from, not both", ExitCode.USAGE);
    }
    Format f = format != null ? format : session.printer().json() ? Format.JSON : Format.TABLE;
    StatisticsQuery.Bucket bucket = StatisticsQuery.Bucket.valueOf(by.name());
    if (f == Format.SVG && bucket == StatisticsQuery.Bucket.NONE) {
      throw new CliFailure("stats", "an SVG chart needs buckets: use --by hour, day or week", ExitCode.USAGE);
    }
    StatisticsQuery query = (taskId == null ? StatisticsQuery.allTasks() : StatisticsQuery.task(taskId))
        .between(since != null ? since : from, to).by(bucket);
    String what = "statistics of " + (taskId == null ? "all tasks" : "task " + taskId);
    StatisticsReport report = session.call("get the " + what, () -> session.client().statistics(query));
    if (f == Format.TABLE && report.total().overall().runCount() == 0) {
      session.printer().note("No runs in this window.");
      return ExitCode.OK;
    }
    String text = switch (f) {
      case TABLE -> StatsTable.render(report, taskId, bucket);
      case JSON -> session.printer().statisticsJson(report);
      case SVG -> DurationChartSvg.render(report.total().buckets(), bucket,
          "Durations of " + (taskId == null ? "all tasks" : taskId));
    };
    session.printer().document(text, output, what);
    return ExitCode.OK;
  }
}
