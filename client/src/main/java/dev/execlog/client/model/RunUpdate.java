package dev.execlog.client.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The fields of a run to change; only the fields set here are sent in the update mask. */
public final class RunUpdate {
  private final Set<String> fields = new LinkedHashSet<>();
  private String taskType = "";
  private Instant recordTime;
  private boolean success;
  private Duration duration = Duration.ZERO;
  private String reportPath = "";
  private List<InputFile> inputs = new ArrayList<>();
  private List<OutputFile> outputs = new ArrayList<>();
  private String hostname = "";

  public RunUpdate taskType(String v) { taskType = v; fields.add("task_type"); return this; }
  public RunUpdate recordTime(Instant v) { recordTime = v; fields.add("record_time"); return this; }
  public RunUpdate success(boolean v) { success = v; fields.add("success"); return this; }
  public RunUpdate duration(Duration v) { duration = v; fields.add("duration"); return this; }
  public RunUpdate reportPath(String v) { reportPath = v; fields.add("report_path"); return this; }
  public RunUpdate inputFiles(List<InputFile> v) { inputs = List.copyOf(v); fields.add("input_files"); return this; }
  public RunUpdate outputFiles(List<OutputFile> v) { outputs = List.copyOf(v); fields.add("output_files"); return this; }
  public RunUpdate hostname(String v) { hostname = v; fields.add("hostname"); return this; }

  /** Names a field by its proto name without setting a value; for scripts that build masks themselves. */
  public RunUpdate field(String protoName) { fields.add(protoName); return this; }

  public Set<String> fields() { return Set.copyOf(fields); }
  public List<String> fieldList() { return List.copyOf(fields); }
  public String taskType() { return taskType; }
  public Instant recordTime() { return recordTime; }
  public boolean success() { return success; }
  public Duration duration() { return duration; }
  public String reportPath() { return reportPath; }
  public List<InputFile> inputFiles() { return inputs; }
  public List<OutputFile> outputFiles() { return outputs; }
  public String hostname() { return hostname; }
}
