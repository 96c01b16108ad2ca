package dev.execlog.cli;

import dev.execlog.client.model.Run;
import picocli.CommandLine.Command;

@Command(name = "track-outputs", mixinStandardHelpOptions = true,
    description = "Add output files to the newest run of a task.",
    footer = {"", "Example:", "  execlog track-outputs t_1P DATA/processed/t_1P/output/profile.json"})
final class TrackOutputsCommand extends TrackCommand {

  @Override
  String kind() {
    return "output";
  }

  @Override
  Run track(Session session) {
    return session.client().trackOutputs(taskId, paths);
  }
}
