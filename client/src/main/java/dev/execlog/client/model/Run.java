package dev.execlog.client.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** One recorded run of a task, as the server stores it. */
public record Run(
    String runId,
    String taskId,
    String taskType,
    Instant recordTime,
    boolean success,
    Duration duration,
    String reportPath,
    List<InputFile> inputFiles,
    List<OutputFile> outputFiles,
    String hostname) {

  /** The duration in seconds, as the reference library's {@code execution_time}. */
  public double executionTimeSeconds() {
    return duration.toNanos() / 1e9;
  }
}
