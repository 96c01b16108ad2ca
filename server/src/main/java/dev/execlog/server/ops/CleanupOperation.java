package dev.execlog.server.ops;

import dev.execlog.server.json.Timestamps;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.store.ExecutionStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes old runs (spec: {@code cleanup_old_executions}). The choice is made on a snapshot, without
 * blocking anyone; the removal is then one durable write, so a cancelled cleanup changes nothing.
 * Task summaries follow automatically, since they are always derived from the runs that remain.
 */
public final class CleanupOperation {

  /** Which runs go. */
  public enum Rule {
    /**
     * The reference library's rule: a run goes only when it is beyond its task's newest
     * {@code maxRunsPerTask} runs and older than {@code maxAgeDays}.
     */
    OLD_AND_BEYOND_COUNT,
    /** Stricter, only on request: a run goes when it is old or beyond its task's newest runs. */
    OLD_OR_BEYOND_COUNT
  }

  /** The outcome: the ids removed (or, in a dry run, that would be). */
  public record Result(List<String> removedRunIds, boolean dryRun) {}

  public static final int DEFAULT_MAX_AGE_DAYS = 30;
  public static final int DEFAULT_MAX_RUNS_PER_TASK = 10;

  /** Newest first; a run whose time cannot be read counts as oldest, like the library's sort key. */
  private static final Comparator<Execution> NEWEST_FIRST =
      Comparator.comparingLong(Execution::recordTimeMicros).reversed();

  private final ExecutionStore store;

  public CleanupOperation(ExecutionStore store) {
    this.store = store;
  }

  public Result run(int maxAgeDays, int maxRunsPerTask, Rule rule, boolean dryRun, ProgressSink progress) {
    if (maxAgeDays < 0) {
      throw ExecLogException.invalid("max_age_days", "must not be negative");
    }
    if (maxRunsPerTask < 0) {
      throw ExecLogException.invalid("max_runs_per_task", "must not be negative");
    }
    long cutoff = Timestamps.nowMicros() - maxAgeDays * 86_400L * 1_000_000L;
    long[] total = new long[1];
    Map<String, List<Execution>> byTask = scanByTask(progress, total);
    List<String> remove = new ArrayList<>();
    for (List<Execution> taskRuns : byTask.values()) {
      // A stable sort: runs recorded at the same time keep their file order, as in the library.
      taskRuns.sort(NEWEST_FIRST);
      for (int rank = 0; rank < taskRuns.size(); rank++) {
        Execution run = taskRuns.get(rank);
        boolean beyondCount = rank >= maxRunsPerTask;
        // A run whose time cannot be read is never old: nobody can say how old it is.
        boolean old = run.hasValidTime() && run.recordTimeMicros() <= cutoff;
        if (rule == Rule.OLD_AND_BEYOND_COUNT ? beyondCount && old : beyondCount || old) {
          remove.add(run.runId());
        }
      }
    }
    progress.report("scan", total[0], total[0], remove.size() + " runs to remove");
    progress.checkCancelled();
    if (dryRun) {
      return new Result(remove, true);
    }
    List<String> removed;
    try (ExecutionStore.Maintenance claimed = store.startMaintenance()) {
      removed = store.deleteAll(remove);
    }
    progress.committed(removed.size(), "removed " + removed.size() + " runs");
    return new Result(removed, false);
  }

  /** The runs of each task, tasks in order of their first run in the file; {@code total} gets their number. */
  private Map<String, List<Execution>> scanByTask(ProgressSink progress, long[] total) {
    try {
      return store.scan(snapshot -> {
        Map<String, List<Execution>> byTask = new LinkedHashMap<>();
        long done = 0;
        for (Execution run : snapshot.executions()) {
          byTask.computeIfAbsent(run.taskId(), k -> new ArrayList<>()).add(run);
          if ((++done & 0x3fff) == 0) {
            progress.checkCancelled();
            progress.report("scan", done, snapshot.executionCount(), "choosing runs to remove");
          }
        }
        total[0] = done;
        return byTask;
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
