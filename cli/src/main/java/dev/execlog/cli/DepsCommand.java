package dev.execlog.cli;

import dev.execlog.client.model.DependencyOptions;
import dev.execlog.client.model.DependencyReport;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "deps", mixinStandardHelpOptions = true,
    description = {"Check that dependency tasks have succeeded (exit 4 when not).",
        "Exits 0 when all are satisfied, 4 when any is not: never run, failed, stale, or (with",
        "--require-outputs-exist) its newest success's output files are gone from the server's disk."},
    footer = {"", "Examples:",
        "  execlog deps t_1I t_1P --max-age 24h --require-latest-success && run-my-task",
        "  execlog deps t_1I --newer-than-task t_1P --require-outputs-exist \\",
        "    && echo 't_1I has new data: run t_1P'"})
final class DepsCommand extends ServerCommand {

  @Parameters(arity = "1..*", paramLabel = "TASK", description = "The tasks that must have succeeded.")
  List<String> taskIds;

  @Option(names = "--max-age", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "A success older than this does not count (STALE), such as 24h or 7d.")
  Duration maxAge;

  @Option(names = "--require-latest-success", description = "A failed newest run fails the dependency even after an earlier success.")
  boolean requireLatestSuccess;

  /** At most one "newer than" condition. */
  static final class NewerThan {
    @Option(names = "--newer-than-task", paramLabel = "TASK",
        description = "A success older than this task's newest run is STALE: \"has anything changed since I last ran?\"")
    String taskId;

    @Option(names = "--newer-than-run", paramLabel = "RUN_ID", description = "A success older than this run is STALE.")
    String runId;
  }

  @ArgGroup(exclusive = true)
  NewerThan newerThan;

  @Option(names = "--require-outputs-exist",
      description = "The newest success's output files must exist on the server's disk (else OUTPUTS_MISSING).")
  boolean requireOutputsExist;

  @Override
  ExitCode execute(Session session) {
    DependencyReport report = session.call("check dependencies",
        () -> session.client().checkDependencies(taskIds, options()));
    session.printer().dependencies(report);
    return report.satisfied() ? ExitCode.OK : ExitCode.DEPENDENCIES_UNMET;
  }

  private DependencyOptions options() {
    DependencyOptions o = DependencyOptions.defaults().maxAge(maxAge).requireLatestSuccess(requireLatestSuccess)
        .requireOutputsExist(requireOutputsExist);
    if (newerThan != null && newerThan.taskId != null) {
      return o.newerThanTask(newerThan.taskId);
    }
    return newerThan != null && newerThan.runId != null ? o.newerThanRun(newerThan.runId) : o;
  }
}
