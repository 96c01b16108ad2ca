package dev.execlog.client.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The fields of a run to change; only the fields set here are sent in the update mask. */
public final class RunUpdate {
  private final Set<String> fields = new LinkedHashSet<>();
  private String taskType = "";
  private Instant recordTime;
  private boolean success;
  private Duration duration = Duration.ZERO;
  private boolean integerExecutionTime;
  private String reportPath = "";
  private List<InputFile> inputs = new ArrayList<>();
  private List<OutputFile> outputs = new ArrayList<>();
  private String hostname = "";
  private final Map<String, String> extraFields = new LinkedHashMap<>();

  public RunUpdate taskType(String v) { taskType = v; fields.add("task_type"); return this; }
  public RunUpdate recordTime(Instant v) { recordTime = v; fields.add("record_time"); return this; }
  public RunUpdate success(boolean v) { success = v; fields.add("success"); return this; }
  /** A new duration, written to the file with a fraction ({@code 241.0}). */
  public RunUpdate duration(Duration v) { duration = v; integerExecutionTime = false; fields.add("duration"); return this; }
  /** A new duration of whole seconds, written to the file as an integer ({@code 241}). */
  public RunUpdate wholeSeconds(long v) {
    duration = Duration.ofSeconds(v);
    integerExecutionTime = true;
    fields.add("duration");
    return this;
  }
  public RunUpdate reportPath(String v) { reportPath = v; fields.add("report_path"); return this; }
  public RunUpdate inputFiles(List<InputFile> v) { inputs = List.copyOf(v); fields.add("input_files"); return this; }
  public RunUpdate outputFiles(List<OutputFile> v) { outputs = List.copyOf(v); fields.add("output_files"); return this; }
  public RunUpdate hostname(String v) { hostname = v; fields.add("hostname"); return this; }

  /**
   * Sets one key beyond the spec's ten to a JSON text, adding it or replacing its value; the run's
   * other extra keys stay. The reference library's {@code update_execution_record(id, {key: value})}.
   */
  public RunUpdate extraField(String key, String jsonText) {
    extraFields.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(jsonText, "jsonText"));
    fields.add(extraFieldPath(key));
    return this;
  }

  /** Sets one extra key to a JSON string, such as {@code extraText("notes", "rerun by hand")}. */
  public RunUpdate extraText(String key, String text) {
    return extraField(key, ExtraFields.text(text));
  }

  /** Removes one extra key from the run; nothing happens when the run lacks it. */
  public RunUpdate removeExtraField(String key) {
    extraFields.remove(Objects.requireNonNull(key, "key"));
    fields.add(extraFieldPath(key));
    return this;
  }

  /** Replaces every extra key of the run with these; an empty map removes them all. */
  public RunUpdate extraFields(Map<String, String> all) {
    extraFields.clear();
    extraFields.putAll(ExtraFields.copyOf(all));
    fields.add("extra_fields");
    return this;
  }

  /** Names a field by its proto name without setting a value; for scripts that build masks themselves. */
  public RunUpdate field(String protoName) { fields.add(protoName); return this; }

  /**
   * The update-mask path of one extra key: {@code extra_fields.notes}, or with the key in backticks
   * when it holds a {@code .} or a backtick (a backtick inside doubled): {@code extra_fields.`a.b`}.
   */
  public static String extraFieldPath(String key) {
    boolean plain = key.indexOf('.') < 0 && key.indexOf('`') < 0;
    return "extra_fields." + (plain ? key : "`" + key.replace("`", "``") + "`");
  }

  public Set<String> fields() { return Set.copyOf(fields); }
  public List<String> fieldList() { return List.copyOf(fields); }
  public String taskType() { return taskType; }
  public Instant recordTime() { return recordTime; }
  public boolean success() { return success; }
  public Duration duration() { return duration; }
  public boolean integerExecutionTime() { return integerExecutionTime; }
  public String reportPath() { return reportPath; }
  public List<InputFile> inputFiles() { return inputs; }
  public List<OutputFile> outputFiles() { return outputs; }
  public String hostname() { return hostname; }
  /** The extra keys to send: those set, or the whole new map; removed keys are absent. */
  public Map<String, String> extraFields() { return ExtraFields.copyOf(extraFields); }
}
