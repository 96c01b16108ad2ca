package dev.execlog.server.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One run of a task, as kept in the {@code executions} list of the log file.
 *
 * <p>{@code recordTimeMicros} is microseconds since the epoch, or {@link #INVALID_TIME} for a run
 * loaded from a file whose {@code timestamp} could not be read; the raw text is then kept in
 * {@code extraFields} so the file round-trips. {@code extraFields} holds every key of the file
 * record the server does not know (null when there are none), written back unchanged.
 */
public record Execution(
    String runId,
    String taskId,
    String taskType,
    long recordTimeMicros,
    boolean success,
    double executionTimeSeconds,
    String reportPath,
    List<InputFile> inputFiles,
    List<OutputFile> outputFiles,
    String hostname,
    Map<String, JsonNode> extraFields) {

  public static final long INVALID_TIME = Long.MIN_VALUE;

  public Execution {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    taskType = Objects.requireNonNullElse(taskType, "");
    reportPath = Objects.requireNonNullElse(reportPath, "");
    hostname = Objects.requireNonNullElse(hostname, "");
    inputFiles = List.copyOf(inputFiles);
    outputFiles = List.copyOf(outputFiles);
    extraFields = extraFields == null || extraFields.isEmpty() ? null : Map.copyOf(extraFields);
  }

  public boolean hasValidTime() {
    return recordTimeMicros != INVALID_TIME;
  }

  public Execution withInputFiles(List<InputFile> files) {
    return new Execution(runId, taskId, taskType, recordTimeMicros, success, executionTimeSeconds,
        reportPath, files, outputFiles, hostname, extraFields);
  }

  public Execution withOutputFiles(List<OutputFile> files) {
    return new Execution(runId, taskId, taskType, recordTimeMicros, success, executionTimeSeconds,
        reportPath, inputFiles, files, hostname, extraFields);
  }

  /** Same run content, ignoring the fields a retry may leave for the server to fill in. */
  public boolean sameContentAs(Execution other, boolean compareTime, boolean compareHost) {
    return runId.equals(other.runId)
        && taskId.equals(other.taskId)
        && taskType.equals(other.taskType)
        && success == other.success
        && Double.compare(executionTimeSeconds, other.executionTimeSeconds) == 0
        && reportPath.equals(other.reportPath)
        && inputFiles.equals(other.inputFiles)
        && outputFiles.equals(other.outputFiles)
        && (!compareTime || recordTimeMicros == other.recordTimeMicros)
        && (!compareHost || hostname.equals(other.hostname));
  }
}
