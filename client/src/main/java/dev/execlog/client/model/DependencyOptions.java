package dev.execlog.client.model;

import java.time.Duration;

/**
 * Conditions a dependency must meet besides having succeeded. Start from {@link #defaults()}.
 *
 * @param maxAge a newest success older than this is STALE; null for no limit
 * @param requireLatestSuccess a failed newest run fails the dependency even after an earlier success
 * @param newerThanTaskId the asking task: a dependency whose newest success is older than this task's
 *     newest run is STALE; null for no such condition
 * @param newerThanRunId the same against one run; null for none (at most one of the two)
 * @param requireOutputsExist the newest success's output files must exist on the server's disk,
 *     else OUTPUTS_MISSING
 */
public record DependencyOptions(Duration maxAge, boolean requireLatestSuccess, String newerThanTaskId,
    String newerThanRunId, boolean requireOutputsExist) {

  public static DependencyOptions defaults() {
    return new DependencyOptions(null, false, null, null, false);
  }

  public DependencyOptions maxAge(Duration age) {
    return new DependencyOptions(age, requireLatestSuccess, newerThanTaskId, newerThanRunId, requireOutputsExist);
  }

  public DependencyOptions requireLatestSuccess(boolean on) {
    return new DependencyOptions(maxAge, on, newerThanTaskId, newerThanRunId, requireOutputsExist);
  }

  /** "Newer than my own last run": {@code taskId} is the asking task. */
  public DependencyOptions newerThanTask(String taskId) {
    return new DependencyOptions(maxAge, requireLatestSuccess, taskId, null, requireOutputsExist);
  }

  public DependencyOptions newerThanRun(String runId) {
    return new DependencyOptions(maxAge, requireLatestSuccess, null, runId, requireOutputsExist);
  }

  public DependencyOptions requireOutputsExist(boolean on) {
    return new DependencyOptions(maxAge, requireLatestSuccess, newerThanTaskId, newerThanRunId, on);
  }
}
