package dev.execlog.cli;

import dev.execlog.client.model.DependencyReport;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "deps", mixinStandardHelpOptions = true,
    description = {"Check that dependency tasks have succeeded (exit 4 when not).",
        "Exits 0 when all are satisfied, 4 when any is not: never run, failed, or stale."},
    footer = {"", "Example:",
        "  execlog deps t_1I t_1P --max-age 24h --require-latest-success && run-my-task"})
final class DepsCommand extends ServerCommand {

  @Parameters(arity = "1..*", paramLabel = "TASK", description = "The tasks that must have succeeded.")
  List<String> taskIds;

  @Option(names = "--max-age", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "A success older than this does not count (STALE), such as 24h or 7d.")
  Duration maxAge;

  @Option(names = "--require-latest-success", description = "A failed newest run fails the dependency even after an earlier success.")
  boolean requireLatestSuccess;

  @Override
  ExitCode execute(Session session) {
    DependencyReport report = session.call("check dependencies",
        () -> session.client().checkDependencies(taskIds, maxAge, requireLatestSuccess));
    session.printer().dependencies(report);
    return report.satisfied() ? ExitCode.OK : ExitCode.DEPENDENCIES_UNMET;
  }
}
