package dev.execlog.server.ops;

import dev.execlog.server.json.Timestamps;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.OutputFile;
import dev.execlog.server.store.ExecutionStore;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Answers "have these tasks succeeded?" with a reason per dependency (spec: TaskDependencyManager). */
public final class DependencyChecker {

  /** Why a dependency is or is not satisfied. */
  public enum State { SATISFIED, NEVER_RUN, FAILED, STALE, OUTPUTS_MISSING }

  /**
   * The answer for one dependency; {@code latestSuccess} and {@code latest} may be null.
   * {@code missingOutputs} lists the newest success's outputs absent from disk, when asked to look.
   */
  public record Status(String taskId, State state, Execution latestSuccess, Execution latest, String message,
      List<String> missingOutputs) {

    Status(String taskId, State state, Execution latestSuccess, Execution latest, String message) {
      this(taskId, state, latestSuccess, latest, message, List.of());
    }
  }

  /** The answers, in the order asked, and whether all are satisfied. */
  public record Report(boolean satisfied, List<Status> dependencies) {}

  /**
   * The conditions a dependency must meet besides having succeeded.
   *
   * @param maxAgeMicros a successful run older than this is STALE; null for no limit
   * @param requireLatestSuccess a failed newest run makes the dependency FAILED even after an earlier success
   * @param newerThanTaskId the asking task: a success recorded before its newest run is STALE; null for none
   * @param newerThanRunId like {@code newerThanTaskId}, against this run; null for none
   * @param requireOutputsExist the newest success's output files must exist on disk
   */
  public record Conditions(Long maxAgeMicros, boolean requireLatestSuccess, String newerThanTaskId,
      String newerThanRunId, boolean requireOutputsExist) {}

  /** The most task ids one call may name. */
  public static final int MAX_TASKS = 1000;

  private final ExecutionStore store;
  private final RunValidator validator;

  public DependencyChecker(ExecutionStore store, RunValidator validator) {
    this.store = store;
    this.validator = validator;
  }

  public Report check(List<String> taskIds, Long maxAgeMicros, boolean requireLatestSuccess) {
    return check(taskIds, new Conditions(maxAgeMicros, requireLatestSuccess, null, null, false));
  }

  public Report check(List<String> taskIds, Conditions c) {
    if (taskIds.isEmpty()) {
      throw ExecLogException.invalid("task_ids", "name at least one dependency task");
    }
    if (c.maxAgeMicros() != null && c.maxAgeMicros() <= 0) {
      throw ExecLogException.invalid("max_age", "must be positive");
    }
    if (taskIds.size() > MAX_TASKS) {
      throw ExecLogException.invalid("task_ids", "name at most " + MAX_TASKS + " tasks per call, got " + taskIds.size());
    }
    // A task named twice is answered once: the answer must not grow with repeats of one name.
    Set<String> distinct = new LinkedHashSet<>();
    for (int i = 0; i < taskIds.size(); i++) {
      distinct.add(validator.taskId(taskIds.get(i), "task_ids[" + i + "]"));
    }
    List<String> ids = new ArrayList<>(distinct);
    String askingTask = c.newerThanTaskId() == null ? null : validator.taskId(c.newerThanTaskId(), "newer_than_task_id");
    String askingRun = c.newerThanRunId() == null ? null : validator.lookupRunId(c.newerThanRunId(), "newer_than_run_id");
    long now = Timestamps.nowMicros();
    List<Status> statuses = store.read(view -> {
      Execution reference = null;
      if (askingTask != null) {
        reference = view.latest(askingTask, false);
      } else if (askingRun != null) {
        reference = view.get(askingRun);
        if (reference == null) {
          throw ExecLogException.runNotFound("newer_than_run_id", askingRun);
        }
      }
      List<Status> out = new ArrayList<>();
      for (String id : ids) {
        out.add(judge(id, view.latest(id, false), view.latest(id, true), c, reference, now));
      }
      return out;
    });
    // Outside the read lock: disk checks must not hold up writers.
    boolean all = true;
    for (int i = 0; i < statuses.size(); i++) {
      Status s = statuses.get(i);
      if (c.requireOutputsExist() && s.state() == State.SATISFIED) {
        s = checkOutputs(s);
        statuses.set(i, s);
      }
      all &= s.state() == State.SATISFIED;
    }
    return new Report(all, statuses);
  }

  private static Status judge(String id, Execution latest, Execution success, Conditions c, Execution reference,
      long now) {
    if (latest == null) {
      return new Status(id, State.NEVER_RUN, null, null, "task " + id + " has never run");
    }
    if (success == null) {
      return new Status(id, State.FAILED, null, latest, "task " + id + " has run but never succeeded");
    }
    if (c.requireLatestSuccess() && !latest.success()) {
      return new Status(id, State.FAILED, success, latest, "the newest run of task " + id + " failed");
    }
    if (c.maxAgeMicros() != null && success.recordTimeMicros() < now - c.maxAgeMicros()) {
      return new Status(id, State.STALE, success, latest, "the newest successful run of task " + id
          + " is older than the allowed age");
    }
    if (reference != null && success.recordTimeMicros() < reference.recordTimeMicros()) {
      return new Status(id, State.STALE, success, latest, "the newest successful run of task " + id
          + " is older than run " + reference.runId() + " of task " + reference.taskId()
          + ", which has already seen its outputs");
    }
    return new Status(id, State.SATISFIED, success, latest, "task " + id + " has succeeded");
  }

  /** A path from an imported file may not even parse here; it then names no file we can find. */
  private static boolean exists(Path root, String path) {
    try {
      return Files.exists(root.resolve(path));
    } catch (InvalidPathException e) {
      return false;
    }
  }

  private Status checkOutputs(Status s) {
    Path root = validator.paths().root();
    List<String> missing = new ArrayList<>();
    for (OutputFile out : s.latestSuccess().outputFiles()) {
      if (!exists(root, out.path())) {
        missing.add(out.path());
      }
    }
    if (missing.isEmpty()) {
      return s;
    }
    return new Status(s.taskId(), State.OUTPUTS_MISSING, s.latestSuccess(), s.latest(), missing.size() + " of "
        + s.latestSuccess().outputFiles().size() + " output files of the newest successful run of task "
        + s.taskId() + " are missing, such as " + missing.get(0), List.copyOf(missing));
  }
}
