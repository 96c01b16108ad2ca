package dev.execlog.cli;

import dev.execlog.client.model.Run;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "producer", mixinStandardHelpOptions = true,
    description = "Show the run that produced a file: the newest run listing it among its outputs"
        + " (exit 3 when none does).",
    footer = {"", "Examples:",
        "  execlog producer DATA/processed/t_1I/output/customers.csv",
        "  execlog producer DATA/processed/t_1I/output/customers.csv --all"})
final class ProducerCommand extends ServerCommand {

  @Parameters(paramLabel = "PATH", description = "The output file, relative to the project root or absolute inside it.")
  String path;

  @Option(names = "--all", description = "List every run that wrote the file, newest first.")
  boolean all;

  @Override
  ExitCode execute(Session session) {
    String what = "find the producer of " + path;
    if (all) {
      List<Run> runs = session.call(what, () -> session.client().producers(path));
      if (runs.isEmpty()) {
        throw notFound(what);
      }
      session.printer().runs(runs);
    } else {
      session.printer().run(session.call(what, () -> session.client().producer(path)).orElseThrow(() -> notFound(what)));
    }
    return ExitCode.OK;
  }

  private CliFailure notFound(String what) {
    return new CliFailure(what, "no recorded run lists " + path + " among its outputs", ExitCode.NOT_FOUND,
        "outputs are matched by their normalized path; check it with 'execlog show RUN_ID'.", null);
  }
}
