package dev.execlog.cli;

import dev.execlog.client.model.CleanupResult;
import dev.execlog.client.model.CleanupRule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "cleanup", mixinStandardHelpOptions = true,
    description = {"Remove old runs, as the reference library's cleanup_old_executions does.",
        "A run is removed only when it is both older than --max-age-days and beyond",
        "its task's newest --max-runs-per-task runs.",
        "Prints the removed run ids, one per line. A dry run lists exactly the runs",
        "a real one removes. Ctrl-C before the server commits cancels and changes nothing;",
        "after the commit the runs are gone, and the CLI says so (see the exit codes)."},
    footer = {"", "Examples:",
        "  execlog cleanup --max-age-days 60 --max-runs-per-task 5 --dry-run",
        "  # only the age decides:",
        "  execlog cleanup --max-age-days 30 --max-runs-per-task 0",
        "  # stricter: a run goes when either condition holds:",
        "  execlog cleanup --rule old-or-beyond-count --max-runs-per-task 3"})
final class CleanupCommand extends ServerCommand {

  @Option(names = "--max-age-days", paramLabel = "DAYS",
      description = "Every run younger than this stays (server default: 30).")
  Integer maxAgeDays;

  @Option(names = "--max-runs-per-task", paramLabel = "N",
      description = "Each task's newest N runs stay whatever their age; 0 lets the age alone decide (server default: 10).")
  Integer maxRunsPerTask;

  @Option(names = "--rule", paramLabel = "RULE", converter = KebabEnums.CleanupRules.class,
      completionCandidates = KebabEnums.CleanupRules.class,
      description = {"old-and-beyond-count (default): remove a run only when both conditions hold.",
          "old-or-beyond-count: remove a run when either holds, so a task idle longer than the age loses every run."})
  CleanupRule rule = CleanupRule.OLD_AND_BEYOND_COUNT;

  @Option(names = "--dry-run", description = "Only report what would be removed; change nothing.")
  boolean dryRun;

  @Mixin
  ProgressOptions progressOptions;

  @Override
  ExitCode execute(Session session) {
    CleanupResult result;
    String what = dryRun ? "cleanup (dry run)" : "cleanup";
    try (Progress progress = progressOptions.open("cleanup", session.err())) {
      CommitTracker tracker = new CommitTracker(progress, session, n -> "the cleanup removed " + n + " runs");
      try {
        result = session.callChange(what,
            () -> session.client().cleanup(maxAgeDays, maxRunsPerTask, rule, dryRun, tracker));
      } catch (CliFailure f) {
        if (f.exitCode() == ExitCode.INTERRUPTED_AFTER_COMMIT) {
          // The runs are gone: print the ids that arrived, so none is lost from sight.
          session.printer().cleanup(new CleanupResult((int) tracker.committedCount(), tracker.removedRuns(), false));
        }
        throw f;
      }
    }
    session.printer().cleanup(result);
    return ExitCode.OK;
  }
}
