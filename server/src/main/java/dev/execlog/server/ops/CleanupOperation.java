package dev.execlog.server.ops;

import dev.execlog.server.json.LogSnapshot;
import dev.execlog.server.json.Timestamps;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.store.LogStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes runs older than a maximum age or beyond a maximum count per task (spec:
 * {@code cleanup_old_executions}). The choice is made on a snapshot, without blocking anyone; the
 * removal is then one durable write, so a cancelled cleanup changes nothing. Task summaries follow
 * automatically, since they are always derived from the runs that remain.
 */
public final class CleanupOperation {

  /** The outcome: the ids removed (or, in a dry run, that would be). */
  public record Result(List<String> removedRunIds, boolean dryRun) {}

  public static final int DEFAULT_MAX_AGE_DAYS = 30;
  public static final int DEFAULT_MAX_RUNS_PER_TASK = 10;

  private final LogStore store;

  public CleanupOperation(LogStore store) {
    this.store = store;
  }

  public Result run(int maxAgeDays, int maxRunsPerTask, boolean dryRun, ProgressSink progress) {
    if (maxAgeDays < 0) {
      throw ExecLogException.invalid("max_age_days", "must not be negative");
    }
    if (maxRunsPerTask < 0) {
      throw ExecLogException.invalid("max_runs_per_task", "must not be negative");
    }
    LogSnapshot snapshot = store.snapshot();
    List<Execution> runs = snapshot.executions();
    long cutoff = Timestamps.nowMicros() - maxAgeDays * 86_400L * 1_000_000L;
    Map<String, List<Execution>> byTask = new HashMap<>();
    List<String> remove = new ArrayList<>();
    long total = runs.size();
    long done = 0;
    for (Execution run : runs) {
      if (run.hasValidTime() && run.recordTimeMicros() < cutoff) {
        remove.add(run.runId());
      } else {
        byTask.computeIfAbsent(run.taskId(), k -> new ArrayList<>()).add(run);
      }
      if ((++done & 0x3fff) == 0) {
        progress.checkCancelled();
        progress.report("scan", done, total, "choosing runs to remove");
      }
    }
    Comparator<Execution> newestFirst = Comparator.comparingLong(Execution::recordTimeMicros).reversed();
    for (List<Execution> taskRuns : byTask.values()) {
      if (taskRuns.size() > maxRunsPerTask) {
        taskRuns.sort(newestFirst);
        for (Execution run : taskRuns.subList(maxRunsPerTask, taskRuns.size())) {
          remove.add(run.runId());
        }
      }
    }
    progress.report("scan", total, total, remove.size() + " runs to remove");
    progress.checkCancelled();
    if (dryRun) {
      return new Result(remove, true);
    }
    List<String> removed = store.deleteAll(remove);
    progress.report("remove", removed.size(), remove.size(), "removed " + removed.size() + " runs");
    return new Result(removed, false);
  }
}
