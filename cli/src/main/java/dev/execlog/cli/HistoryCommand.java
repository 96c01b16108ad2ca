package dev.execlog.cli;

import dev.execlog.client.model.HistoryQuery;
import dev.execlog.client.model.Run;
import dev.execlog.client.model.StatisticsQuery;
import dev.execlog.client.model.StatisticsReport;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "history", mixinStandardHelpOptions = true,
    description = "List runs, newest first, of one task or of all tasks.",
    footer = {"", "Examples:",
        "  execlog history t_1I --limit 5 --success-only",
        "  execlog history --since 7d --format csv > runs.csv",
        "  execlog history --since 7d --json | jq -r .task_run_id"})
final class HistoryCommand extends ServerCommand {

  @Parameters(paramLabel = "TASK", arity = "0..1", description = "Only runs of this task (default: all tasks).")
  String taskId;

  @Option(names = {"-n", "--limit"}, defaultValue = "20", description = "Show at most this many runs (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--all", description = "Show every matching run (no limit).")
  boolean all;

  @Option(names = "--success-only", description = "Only successful runs.")
  boolean successOnly;

  @Mixin
  TimeWindow window;

  @Override
  ExitCode execute(Session session) {
    if (limit < 1 && !all) {
      throw new CliFailure("history", "--limit must be at least 1", ExitCode.USAGE);
    }
    HistoryQuery query = new HistoryQuery(taskId, successOnly, window.since, window.until);
    String what = "list runs" + (taskId == null ? "" : " of " + taskId);
    List<Run> runs = session.call(what, () -> {
      if (!all) {
        return session.client().history(query, limit + 1);
      }
      List<Run> every = new ArrayList<>();
      session.client().historyPages(query, 1000).forEach(every::add);
      return every;
    });
    boolean more = !all && runs.size() > limit;
    session.printer().runs(more ? runs.subList(0, limit) : runs);
    if (more) {
      session.printer().page(limit, total(session), "runs");
    }
    return ExitCode.OK;
  }

  /** How many runs match in all, from the statistics of the same window; null when it cannot be had. */
  private Long total(Session session) {
    try {
      StatisticsQuery q = (taskId == null ? StatisticsQuery.allTasks() : StatisticsQuery.task(taskId))
          .between(window.since, window.until).by(StatisticsQuery.Bucket.NONE);
      StatisticsReport report = session.client().statistics(q);
      return successOnly ? report.total().overall().successCount() : report.total().overall().runCount();
    } catch (RuntimeException e) {
      session.verbose("cannot count the runs: " + e.getMessage());
      return null;
    }
  }
}
