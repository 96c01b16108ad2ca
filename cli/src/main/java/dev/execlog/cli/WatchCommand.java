package dev.execlog.cli;

import dev.execlog.client.ExecLogClientException;
import dev.execlog.client.ExecutionWatch;
import dev.execlog.client.model.WatchFilter;
import dev.execlog.v1.ErrorReason;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {"Print the log's changes as they happen: runs recorded, updated and removed.",
        "One line per change, or one JSON object per line with --json. Runs until Ctrl-C (exit 130)",
        "or, with --count, until that many changes were printed (exit 0). A reader too slow for the",
        "server is dropped (exit 1); the message says how to read the missed runs with 'execlog history'."},
    footer = {"", "Examples:",
        "  execlog watch",
        "  execlog watch --task t_1I --failed",
        "  execlog watch --type ingestion --json | jq -r .run.task_run_id",
        "  execlog watch --count 1 --task t_1P   # wait for the next run of t_1P"})
final class WatchCommand extends ServerCommand {

  /** At most one outcome filter. */
  static final class Outcome {
    @Option(names = "--success", description = "Only successful runs.")
    boolean success;

    @Option(names = "--failed", description = "Only failed runs.")
    boolean failed;
  }

  @Option(names = "--task", paramLabel = "TASK", description = "Only changes to runs of this task.")
  String taskId;

  @Option(names = "--type", paramLabel = "TYPE", description = "Only changes to runs of this task type.")
  String taskType;

  @ArgGroup(exclusive = true)
  Outcome outcome;

  @Option(names = {"-c", "--count"}, paramLabel = "N", description = "Stop after printing this many changes.")
  Integer count;

  @Override
  ExitCode execute(Session session) {
    if (count != null && count < 1) {
      throw new CliFailure("watch", "--count must be at least 1", ExitCode.USAGE);
    }
    Boolean success = outcome == null ? null : outcome.success;
    ExecutionWatch watch = session.call("start watching the log",
        () -> session.client().watch(new WatchFilter(taskId, taskType, success)));
    session.onInterrupt(watch::close);
    Instant caughtUp = Instant.now();
    session.verbose("watching changes after #" + watch.startSequence());
    session.printer().note("Watching " + (taskId == null ? "all tasks" : "task " + taskId) + " (Ctrl-C to stop).");
    int printed = 0;
    try (watch) {
      while ((count == null || printed < count) && next(session, watch, caughtUp)) {
        session.printer().change(watch.next());
        caughtUp = Instant.now();
        printed++;
      }
    }
    if (session.interrupted()) {
      session.printer().note("Stopped after " + printed + (printed == 1 ? " change." : " changes."));
      return ExitCode.INTERRUPTED;
    }
    return ExitCode.OK;
  }

  /** Waits for the next change; false when the watch ended (closed on Ctrl-C, or by the server). */
  private boolean next(Session session, ExecutionWatch watch, Instant caughtUp) {
    try {
      return watch.hasNext();
    } catch (ExecLogClientException e) {
      if (e.errorReason() == ErrorReason.WATCH_LAGGED) {
        String since = caughtUp.minus(1, ChronoUnit.SECONDS).truncatedTo(ChronoUnit.SECONDS).toString();
        throw Failures.lagged(e, "execlog history" + (taskId == null ? "" : " " + taskId) + " --all --since " + since);
      }
      throw Failures.from("watch the log", e, session.server());
    }
  }
}
