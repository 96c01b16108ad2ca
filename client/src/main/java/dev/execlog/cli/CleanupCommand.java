package dev.execlog.cli;

import dev.execlog.client.model.CleanupResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "cleanup", mixinStandardHelpOptions = true,
    description = {"Remove old runs: beyond a maximum age or a maximum count per task.",
        "Prints the removed run ids, one per line. Ctrl-C before the end changes nothing."},
    footer = {"", "Example:",
        "  execlog cleanup --max-age-days 60 --max-runs-per-task 5 --dry-run"})
final class CleanupCommand extends ServerCommand {

  @Option(names = "--max-age-days", paramLabel = "DAYS", description = "Remove runs older than this (server default: 30).")
  Integer maxAgeDays;

  @Option(names = "--max-runs-per-task", paramLabel = "N", description = "Keep at most this many newest runs per task (server default: 10).")
  Integer maxRunsPerTask;

  @Option(names = "--dry-run", description = "Only report what would be removed; change nothing.")
  boolean dryRun;

  @Mixin
  ProgressOptions progressOptions;

  @Override
  ExitCode execute(Session session) {
    CleanupResult result;
    try (Progress progress = progressOptions.open("cleanup", session.err())) {
      result = session.call(dryRun ? "cleanup (dry run)" : "cleanup",
          () -> session.client().cleanup(maxAgeDays, maxRunsPerTask, dryRun, progress));
    }
    session.printer().cleanup(result);
    return ExitCode.OK;
  }
}
