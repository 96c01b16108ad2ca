package dev.execlog.cli;

import dev.execlog.client.model.HistoryQuery;
import dev.execlog.client.model.Run;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "history", mixinStandardHelpOptions = true,
    description = "List runs, newest first, of one task or of all tasks.",
    footer = {"", "Examples:",
        "  execlog history t_1I --limit 5 --success-only",
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

  @Option(names = "--since", converter = TimeConverter.class, paramLabel = "TIME",
      description = "Only runs at or after this time: 2026-11-29, 2026-11-29T10:00:00Z or 7d (7 days ago).")
  Instant since;

  @Option(names = "--until", converter = TimeConverter.class, paramLabel = "TIME", description = "Only runs before this time.")
  Instant until;

  @Override
  ExitCode execute(Session session) {
    if (limit < 1 && !all) {
      throw new CliFailure("history", "--limit must be at least 1", ExitCode.USAGE);
    }
    HistoryQuery query = new HistoryQuery(taskId, successOnly, since, until);
    String what = "list runs" + (taskId == null ? "" : " of " + taskId);
    List<Run> runs = session.call(what, () -> {
      if (!all) {
        return session.client().history(query, limit);
      }
      List<Run> every = new ArrayList<>();
      session.client().historyPages(query, 1000).forEach(every::add);
      return every;
    });
    session.printer().runs(runs);
    return ExitCode.OK;
  }
}
