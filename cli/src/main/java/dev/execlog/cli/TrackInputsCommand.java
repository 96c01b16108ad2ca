package dev.execlog.cli;

import dev.execlog.client.model.Run;
import picocli.CommandLine.Command;

@Command(name = "track-inputs", mixinStandardHelpOptions = true,
    description = "Add input files to the newest run of a task.",
    footer = {"", "Example:", "  execlog track-inputs t_1P DATA/processed/t_1I/output/customers.csv \\",
        "    DATA/raw/products.csv"})
final class TrackInputsCommand extends TrackCommand {

  @Override
  String kind() {
    return "input";
  }

  @Override
  Run track(Session session) {
    return session.client().trackInputs(taskId, paths);
  }
}
