package dev.execlog.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "latest", mixinStandardHelpOptions = true,
    description = "Show the newest successful run of a task (exit 3 when there is none).",
    footer = {"", "Example:", "  execlog latest t_1I --include-failed"})
final class LatestCommand extends ServerCommand {

  @Parameters(paramLabel = "TASK", description = "The task's id.")
  String taskId;

  @Option(names = "--include-failed", description = "Also consider failed runs.")
  boolean includeFailed;

  @Override
  ExitCode execute(Session session) {
    String what = "latest run of " + taskId;
    var run = session.call(what, () -> session.client().latest(taskId, includeFailed))
        .orElseThrow(() -> new CliFailure(what, "task " + taskId + " has no "
            + (includeFailed ? "" : "successful ") + "run", ExitCode.NOT_FOUND,
            includeFailed ? "list tasks with 'execlog tasks'." : "add --include-failed to also consider failed runs.",
            null));
    session.printer().run(run);
    return ExitCode.OK;
  }
}
