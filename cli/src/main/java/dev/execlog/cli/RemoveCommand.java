package dev.execlog.cli;

import dev.execlog.client.model.Run;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "remove", mixinStandardHelpOptions = true,
    description = "Remove one run from the log; the task's summary moves to its new newest run. Prints the removed run.",
    footer = {"", "Example:", "  execlog remove f8a7d3e1-2b56-4c9a-8f7e-3d1a2b3c4d5e"})
final class RemoveCommand extends ServerCommand {

  @Parameters(paramLabel = "RUN_ID", description = "The run's id, or a unique prefix of it (at least 4 characters).")
  String runId;

  @Override
  ExitCode execute(Session session) {
    String id = session.resolveRun(runId);
    Run removed = session.call("remove run " + id, () -> session.client().delete(id));
    session.printer().run(removed);
    session.printer().note("Removed run " + id + " of " + removed.taskId() + ".");
    return ExitCode.OK;
  }
}
