package dev.execlog.server.model;

/** An entry of the {@code tasks} map: always derived from the task's newest run. */
public record TaskSummary(Execution latest, long runCount) {

  public String taskId() {
    return latest.taskId();
  }
}
