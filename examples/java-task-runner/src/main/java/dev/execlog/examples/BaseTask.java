package dev.execlog.examples;

import dev.execlog.client.ExecLogClientException;
import dev.execlog.client.ExecutionLogClient;
import dev.execlog.client.model.DependencyReport;
import dev.execlog.client.model.NewRun;
import dev.execlog.client.model.Run;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spec's "Integration with BaseTask" pattern: check that every dependency has succeeded,
 * run, then record the execution with its inputs and outputs, whatever the outcome.
 */
public abstract class BaseTask {

  /** What a finished task produced: the files it wrote. */
  public record Output(String path, String type, String description) {}

  private final String taskId;
  private final String taskType;
  private final List<String> dependencies;
  protected final Path projectRoot;
  protected final Map<String, String> inputDatasets = new LinkedHashMap<>();

  protected BaseTask(String taskId, String taskType, List<String> dependencies, Path projectRoot) {
    this.taskId = taskId;
    this.taskType = taskType;
    this.dependencies = dependencies;
    this.projectRoot = projectRoot;
  }

  /** Does the task's work; returns the files written. Throwing marks the run as failed. */
  protected abstract List<Output> run() throws Exception;

  /** Runs the task if its dependencies are satisfied; returns the recorded run, or null if it did not run. */
  public Run execute(ExecutionLogClient log) {
    if (!dependencies.isEmpty()) {
      DependencyReport report = log.checkDependencies(dependencies);
      if (!report.satisfied()) {
        report.dependencies().stream()
            .filter(d -> d.state() != DependencyReport.State.SATISFIED)
            .forEach(d -> System.err.println(taskId + ": dependency not satisfied: " + d.message()));
        return null;
      }
    }
    long started = System.nanoTime();
    List<Output> outputs = List.of();
    boolean success;
    try {
      outputs = run();
      success = true;
    } catch (Exception e) {
      System.err.println(taskId + ": failed: " + e.getMessage());
      success = false;
    }
    return finalizeRun(log, success, Duration.ofNanos(System.nanoTime() - started), outputs);
  }

  // As in BaseTask.finalize(): a failure to record is logged, and the task's own result stands.
  private Run finalizeRun(ExecutionLogClient log, boolean success, Duration took, List<Output> outputs) {
    NewRun.Builder run = NewRun.builder(taskId, taskType).success(success).duration(took)
        .reportPath("DATA/reports/" + taskId + "_report.json");
    inputDatasets.forEach(run::input);
    outputs.forEach(o -> run.output(o.path(), o.type(), o.description()));
    try {
      return log.record(run.build());
    } catch (ExecLogClientException e) {
      System.err.println(taskId + ": error recording task execution: " + e.getMessage());
      return null;
    }
  }

  public String taskId() {
    return taskId;
  }
}
