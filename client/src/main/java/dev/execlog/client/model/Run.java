package dev.execlog.client.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One recorded run of a task, as the server stores it.
 *
 * @param extraFields the run's keys beyond the spec's ten ({@code notes}, {@code metrics}...), each
 *     value one JSON text; see {@link ExtraFields}
 * @param integerExecutionTime the log file holds {@code execution_time} as an integer ({@code 241},
 *     not {@code 241.0}), as the reference library writes a whole number its caller passed
 */
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
    String hostname,
    Map<String, String> extraFields,
    boolean integerExecutionTime) {

  public Run {
    extraFields = ExtraFields.copyOf(extraFields);
  }

  /** The duration in seconds, as the reference library's {@code execution_time}. */
  public double executionTimeSeconds() {
    return duration.toNanos() / 1e9;
  }

  /** The JSON text of one extra key, if the run has it. */
  public Optional<String> extraField(String key) {
    return Optional.ofNullable(extraFields.get(key));
  }
}
