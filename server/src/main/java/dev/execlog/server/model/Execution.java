package dev.execlog.server.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One run of a task, as kept in the {@code executions} list of the log file.
 *
 * <p>{@code recordTimeMicros} is microseconds since the epoch, or {@link #INVALID_TIME} for a run
 * loaded from a file whose {@code timestamp} could not be read. {@code extraFields} holds every key
 * of the run beyond the spec's, in file order, written back unchanged. {@code rawValues} holds, for
 * spec keys whose value in a loaded file is not in the spec's form (a {@code null} success, an
 * {@code execution_time} string, a missing field), the value as written ({@link #ABSENT} for a
 * missing key): the typed field holds its interpretation, the file keeps the raw value until the
 * run is changed. Build runs with {@link #builder} and change them with {@link #toBuilder}.
 */
public record Execution(
    String runId,
    String taskId,
    String taskType,
    long recordTimeMicros,
    boolean success,
    double executionTimeSeconds,
    boolean integerExecutionTime,
    String reportPath,
    List<InputFile> inputFiles,
    List<OutputFile> outputFiles,
    String hostname,
    Map<String, JsonNode> extraFields,
    Map<String, String> rawValues) {

  public static final long INVALID_TIME = Long.MIN_VALUE;
  /** The raw value of a spec key the file does not have at all. */
  public static final String ABSENT = "";

  public Execution {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    taskType = Objects.requireNonNullElse(taskType, "");
    reportPath = Objects.requireNonNullElse(reportPath, "");
    hostname = Objects.requireNonNullElse(hostname, "");
    inputFiles = List.copyOf(inputFiles);
    outputFiles = List.copyOf(outputFiles);
    extraFields = orderedCopy(extraFields);
    rawValues = orderedCopy(rawValues);
    integerExecutionTime = integerExecutionTime && isWhole(executionTimeSeconds);
  }

  public static Builder builder(String runId, String taskId) {
    return new Builder(runId, taskId);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public boolean hasValidTime() {
    return recordTimeMicros != INVALID_TIME;
  }

  /** Whether the file holds a spec key in a form other than the spec's. */
  public boolean hasRawValues() {
    return !rawValues.isEmpty();
  }

  public Execution withInputFiles(List<InputFile> files) {
    return toBuilder().inputFiles(files).build();
  }

  public Execution withOutputFiles(List<OutputFile> files) {
    return toBuilder().outputFiles(files).build();
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
        && extraFields.equals(other.extraFields)
        && (!compareTime || recordTimeMicros == other.recordTimeMicros)
        && (!compareHost || hostname.equals(other.hostname));
  }

  static boolean isWhole(double seconds) {
    return !Double.isNaN(seconds) && !Double.isInfinite(seconds) && seconds == Math.rint(seconds)
        && Math.abs(seconds) < 1e15;
  }

  static <V> Map<String, V> orderedCopy(Map<String, V> map) {
    return map == null || map.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /** Builds a run field by field; every field but the ids starts empty. */
  public static final class Builder {
    private String runId;
    private String taskId;
    private String taskType = "";
    private long recordTimeMicros = INVALID_TIME;
    private boolean success;
    private double executionTimeSeconds;
    private boolean integerExecutionTime;
    private String reportPath = "";
    private List<InputFile> inputFiles = List.of();
    private List<OutputFile> outputFiles = List.of();
    private String hostname = "";
    private Map<String, JsonNode> extraFields = Map.of();
    private Map<String, String> rawValues = Map.of();

    private Builder(String runId, String taskId) {
      this.runId = runId;
      this.taskId = taskId;
    }

    private Builder(Execution run) {
      this(run.runId, run.taskId);
      taskType = run.taskType;
      recordTimeMicros = run.recordTimeMicros;
      success = run.success;
      executionTimeSeconds = run.executionTimeSeconds;
      integerExecutionTime = run.integerExecutionTime;
      reportPath = run.reportPath;
      inputFiles = run.inputFiles;
      outputFiles = run.outputFiles;
      hostname = run.hostname;
      extraFields = run.extraFields;
      rawValues = run.rawValues;
    }

    public Builder runId(String value) {
      runId = value;
      return this;
    }

    public Builder taskId(String value) {
      taskId = value;
      return this;
    }

    public Builder taskType(String value) {
      taskType = value;
      return this;
    }

    public Builder recordTimeMicros(long value) {
      recordTimeMicros = value;
      return this;
    }

    public Builder success(boolean value) {
      success = value;
      return this;
    }

    /** The duration, and whether the file writes it as an integer. */
    public Builder executionTime(double seconds, boolean integer) {
      executionTimeSeconds = seconds;
      integerExecutionTime = integer;
      return this;
    }

    public Builder reportPath(String value) {
      reportPath = value;
      return this;
    }

    public Builder inputFiles(List<InputFile> value) {
      inputFiles = value;
      return this;
    }

    public Builder outputFiles(List<OutputFile> value) {
      outputFiles = value;
      return this;
    }

    public Builder hostname(String value) {
      hostname = value;
      return this;
    }

    public Builder extraFields(Map<String, JsonNode> value) {
      extraFields = value;
      return this;
    }

    public Builder rawValues(Map<String, String> value) {
      rawValues = value;
      return this;
    }

    public Execution build() {
      return new Execution(runId, taskId, taskType, recordTimeMicros, success, executionTimeSeconds,
          integerExecutionTime, reportPath, inputFiles, outputFiles, hostname, extraFields, rawValues);
    }
  }
}
