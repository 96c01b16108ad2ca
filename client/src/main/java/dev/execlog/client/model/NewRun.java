package dev.execlog.client.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A run to record. Build it with {@link #builder(String, String)}. A run id is generated here, so
 * retrying the same {@code NewRun} after a network failure never records it twice.
 */
public final class NewRun {
  private final String runId;
  private final String taskId;
  private final String taskType;
  private final boolean success;
  private final Duration duration;
  private final String reportPath;
  private final List<InputFile> inputs;
  private final List<OutputFile> outputs;
  private final Instant recordTime;
  private final String hostname;
  private final Map<String, String> extraFields;
  private final boolean integerExecutionTime;

  private NewRun(Builder b) {
    this.runId = b.runId;
    this.taskId = b.taskId;
    this.taskType = b.taskType;
    this.success = b.success;
    this.duration = b.duration;
    this.reportPath = b.reportPath;
    this.inputs = List.copyOf(b.inputs);
    this.outputs = List.copyOf(b.outputs);
    this.recordTime = b.recordTime;
    this.hostname = b.hostname;
    this.extraFields = ExtraFields.copyOf(b.extraFields);
    this.integerExecutionTime = b.integerExecutionTime;
  }

  public static Builder builder(String taskId, String taskType) {
    return new Builder(taskId, taskType);
  }

  public String runId() { return runId; }
  public String taskId() { return taskId; }
  public String taskType() { return taskType; }
  public boolean success() { return success; }
  public Duration duration() { return duration; }
  public String reportPath() { return reportPath; }
  public List<InputFile> inputs() { return inputs; }
  public List<OutputFile> outputs() { return outputs; }
  /** Null: the server's clock at recording time. */
  public Instant recordTime() { return recordTime; }
  /** Empty: this machine's host name is sent. */
  public String hostname() { return hostname; }
  /** Keys beyond the spec's ten, each value one JSON text (see {@link ExtraFields}). */
  public Map<String, String> extraFields() { return extraFields; }
  /** Whether the log file writes {@code execution_time} as an integer ({@code 241}). */
  public boolean integerExecutionTime() { return integerExecutionTime; }

  /** Builds a {@link NewRun}. */
  public static final class Builder {
    private String runId = UUID.randomUUID().toString();
    private final String taskId;
    private final String taskType;
    private boolean success = true;
    private Duration duration = Duration.ZERO;
    private String reportPath = "";
    private final List<InputFile> inputs = new ArrayList<>();
    private final List<OutputFile> outputs = new ArrayList<>();
    private Instant recordTime;
    private String hostname = "";
    private final Map<String, String> extraFields = new LinkedHashMap<>();
    private boolean integerExecutionTime;

    private Builder(String taskId, String taskType) {
      this.taskId = Objects.requireNonNull(taskId, "taskId");
      this.taskType = Objects.requireNonNull(taskType, "taskType");
    }

    /** Sets the run id (a UUID); by default a random one. */
    /** The run id to send; blank keeps the UUID generated here (a retry must resend the same id). */
    public Builder runId(String id) { this.runId = Objects.requireNonNull(id).isBlank() ? this.runId : id.strip(); return this; }
    public Builder success(boolean value) { this.success = value; return this; }
    public Builder duration(Duration value) { this.duration = Objects.requireNonNull(value); return this; }
    public Builder seconds(double value) { this.duration = Duration.ofNanos(Math.round(value * 1e9)); return this; }
    /**
     * A duration of whole seconds, written to the log file as an integer ({@code 241}, not
     * {@code 241.0}), as the reference library writes an {@code int} execution time.
     */
    public Builder wholeSeconds(long value) {
      this.duration = Duration.ofSeconds(value);
      this.integerExecutionTime = true;
      return this;
    }
    /** Write {@code execution_time} as an integer; the server honours it only for whole seconds. */
    public Builder integerExecutionTime(boolean value) { this.integerExecutionTime = value; return this; }
    public Builder reportPath(String path) { this.reportPath = Objects.requireNonNull(path); return this; }
    /** Adds a named input dataset (spec: an entry of {@code input_datasets}). */
    public Builder input(String name, String path) { inputs.add(new InputFile(name, path)); return this; }
    /** Adds an output given as a bare path. */
    public Builder output(String path) { outputs.add(OutputFile.of(path)); return this; }
    /** Adds an output with its type and description. */
    public Builder output(String path, String type, String description) {
      outputs.add(new OutputFile(path, type, description));
      return this;
    }
    /** Adds an input entry as it is, extra keys included. */
    public Builder input(InputFile file) { inputs.add(Objects.requireNonNull(file)); return this; }
    /** Adds an output entry as it is, extra keys included. */
    public Builder output(OutputFile file) { outputs.add(Objects.requireNonNull(file)); return this; }
    /**
     * Sets a key beyond the spec's ten to one JSON text, such as {@code extraField("metrics",
     * "{\"rows\": 100}")}. The server rejects spec keys and texts that are not one JSON value.
     */
    public Builder extraField(String key, String jsonText) {
      extraFields.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(jsonText, "jsonText"));
      return this;
    }
    /** Sets a key beyond the spec's ten to a JSON string, such as {@code extraText("notes", "looks good")}. */
    public Builder extraText(String key, String text) { return extraField(key, ExtraFields.text(text)); }
    /** Sets several extra keys at once; see {@link #extraField}. */
    public Builder extraFields(Map<String, String> fields) { fields.forEach(this::extraField); return this; }
    public Builder recordTime(Instant time) { this.recordTime = time; return this; }
    public Builder hostname(String name) { this.hostname = Objects.requireNonNull(name); return this; }

    public NewRun build() {
      return new NewRun(this);
    }
  }
}
