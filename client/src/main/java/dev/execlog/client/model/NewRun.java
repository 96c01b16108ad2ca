package dev.execlog.client.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

    private Builder(String taskId, String taskType) {
      this.taskId = Objects.requireNonNull(taskId, "taskId");
      this.taskType = Objects.requireNonNull(taskType, "taskType");
    }

    /** Sets the run id (a UUID); by default a random one. */
    public Builder runId(String id) { this.runId = Objects.requireNonNull(id); return this; }
    public Builder success(boolean value) { this.success = value; return this; }
    public Builder duration(Duration value) { this.duration = Objects.requireNonNull(value); return this; }
    public Builder seconds(double value) { this.duration = Duration.ofNanos(Math.round(value * 1e9)); return this; }
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
    public Builder recordTime(Instant time) { this.recordTime = time; return this; }
    public Builder hostname(String name) { this.hostname = Objects.requireNonNull(name); return this; }

    public NewRun build() {
      return new NewRun(this);
    }
  }
}
