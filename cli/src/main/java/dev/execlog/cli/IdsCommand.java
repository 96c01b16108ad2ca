package dev.execlog.cli;

import dev.execlog.client.model.HistoryQuery;
import dev.execlog.client.model.Run;
import dev.execlog.client.model.TaskSummary;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The ids the completion script offers, one per line: {@code __complete tasks} lists task ids,
 * {@code __complete runs [PREFIX]} the newest 100 run ids (starting with PREFIX). Hidden from help;
 * silent on errors, so a shell never shows one while completing.
 */
@Command(name = "__complete", hidden = true, description = "Print task or run ids for shell completion.")
final class IdsCommand extends ServerCommand {

  @Parameters(index = "0", paramLabel = "tasks|runs")
  String what;

  @Parameters(index = "1", arity = "0..1", paramLabel = "PREFIX")
  String prefix;

  @Override
  ExitCode execute(Session session) {
    String p = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT);
    try {
      if (what.equals("tasks")) {
        for (TaskSummary t : session.client().tasks()) {
          if (t.taskId().startsWith(prefix == null ? "" : prefix)) {
            session.printer().value(t.taskId());
          }
        }
      } else if (what.equals("runs")) {
        for (Run r : session.client().history(new HistoryQuery(null, false, null, null), p.isEmpty() ? 100 : 1000)) {
          if (r.runId().startsWith(p)) {
            session.printer().value(r.runId());
          }
        }
      } else {
        return ExitCode.USAGE;
      }
    } catch (RuntimeException e) {
      return ExitCode.ERROR;
    }
    return ExitCode.OK;
  }
}
