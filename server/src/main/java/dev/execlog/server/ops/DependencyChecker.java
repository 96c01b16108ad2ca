package dev.execlog.server.ops;

import dev.execlog.server.json.Timestamps;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.store.LogStore;
import java.util.ArrayList;
import java.util.List;

/** Answers "have these tasks succeeded?" with a reason per dependency (spec: TaskDependencyManager). */
public final class DependencyChecker {

  /** Why a dependency is or is not satisfied. */
  public enum State { SATISFIED, NEVER_RUN, FAILED, STALE }

  /** The answer for one dependency; {@code latestSuccess} and {@code latest} may be null. */
  public record Status(String taskId, State state, Execution latestSuccess, Execution latest, String message) {}

  /** The answers, in the order asked, and whether all are satisfied. */
  public record Report(boolean satisfied, List<Status> dependencies) {}

  private final LogStore store;
  private final RunValidator validator;

  public DependencyChecker(LogStore store, RunValidator validator) {
    this.store = store;
    this.validator = validator;
  }

  /**
   * @param maxAgeMicros a successful run older than this is STALE; null for no limit
   * @param requireLatestSuccess a failed newest run makes the dependency FAILED even after an earlier success
   */
  public Report check(List<String> taskIds, Long maxAgeMicros, boolean requireLatestSuccess) {
    if (taskIds.isEmpty()) {
      throw ExecLogException.invalid("task_ids", "name at least one dependency task");
    }
    if (maxAgeMicros != null && maxAgeMicros <= 0) {
      throw ExecLogException.invalid("max_age", "must be positive");
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < taskIds.size(); i++) {
      ids.add(validator.taskId(taskIds.get(i), "task_ids[" + i + "]"));
    }
    long now = Timestamps.nowMicros();
    return store.read(view -> {
      List<Status> statuses = new ArrayList<>();
      boolean all = true;
      for (String id : ids) {
        Execution latest = view.latest(id, false);
        Execution success = view.latest(id, true);
        Status status = judge(id, latest, success, maxAgeMicros, requireLatestSuccess, now);
        all &= status.state() == State.SATISFIED;
        statuses.add(status);
      }
      return new Report(all, statuses);
    });
  }

  private static Status judge(String id, Execution latest, Execution success, Long maxAgeMicros,
      boolean requireLatestSuccess, long now) {
    if (latest == null) {
      return new Status(id, State.NEVER_RUN, null, null, "task " + id + " has never run");
    }
    if (success == null) {
      return new Status(id, State.FAILED, null, latest, "task " + id + " has run but never succeeded");
    }
    if (requireLatestSuccess && !latest.success()) {
      return new Status(id, State.FAILED, success, latest, "the newest run of task " + id + " failed");
    }
    if (maxAgeMicros != null && success.recordTimeMicros() < now - maxAgeMicros) {
      return new Status(id, State.STALE, success, latest, "the newest successful run of task " + id
          + " is older than the allowed age");
    }
    return new Status(id, State.SATISFIED, success, latest, "task " + id + " has succeeded");
  }
}
