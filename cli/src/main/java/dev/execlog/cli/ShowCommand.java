package dev.execlog.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "show", mixinStandardHelpOptions = true,
    description = "Show one run: status, times, report, input and output files.",
    footer = {"", "Example:", "  execlog show f8a7d3e1-2b56-4c9a-8f7e-3d1a2b3c4d5e"})
final class ShowCommand extends ServerCommand {

  @Parameters(paramLabel = "RUN_ID", description = "The run's id, or a unique prefix of it (at least 4 characters).")
  String runId;

  @Override
  ExitCode execute(Session session) {
    String id = session.resolveRun(runId);
    session.printer().run(session.call("show run " + id, () -> session.client().get(id)));
    return ExitCode.OK;
  }
}
