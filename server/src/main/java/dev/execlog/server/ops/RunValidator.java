package dev.execlog.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.execlog.server.json.JsonValues;
import dev.execlog.server.json.LogFileCodec;
import dev.execlog.server.json.Timestamps;
import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.InputFile;
import dev.execlog.server.model.OutputFile;
import dev.execlog.server.model.TextRules;
import dev.execlog.server.paths.PathPolicy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks and normalizes a run before it is stored, whether it comes from a record, an update or an
 * import: ids, sizes, times and every path go through the same rules, so nothing the reference
 * library would choke on later (a timestamp like "yesterday", a duplicated run id) gets in.
 */
public final class RunValidator {

  public static final int MAX_ID_LENGTH = 256;
  public static final int MAX_TEXT_LENGTH = 4096;
  public static final int MAX_EXTRA_FIELDS = 100;
  public static final int MAX_EXTRA_VALUE_BYTES = 65_536;
  private static final Set<String> INPUT_KEYS = Set.of("name", "path");
  private static final Set<String> OUTPUT_KEYS = Set.of("path", "type", "description");
  private static final Pattern UUID_FORM =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  /** About 100 years: longer is a unit mistake, not a run. */
  public static final double MAX_DURATION_SECONDS = 3.2e9;
  /** How far ahead of the server's clock a client's clock may be. */
  private static final long MAX_CLOCK_SKEW_MICROS = 24L * 3600 * 1_000_000;

  private final PathPolicy paths;
  private final Limits limits;

  public RunValidator(PathPolicy paths, Limits limits) {
    this.paths = paths;
    this.limits = limits;
  }

  public PathPolicy paths() {
    return paths;
  }

  /**
   * Validates a run from a request. {@code prefix} names the message in field paths, such as
   * {@code execution}. Returns the run with normalized paths and a run id.
   */
  public Execution validate(Execution draft, String prefix) {
    String runId = draft.runId().isEmpty() ? UUID.randomUUID().toString() : runId(draft.runId(), prefix + ".run_id");
    String taskId = taskId(draft.taskId(), prefix + ".task_id");
    // The reference library records a run with an empty task type, so an empty one is allowed.
    String taskType = optionalText(draft.taskType(), prefix + ".task_type", MAX_ID_LENGTH);
    if (draft.hasValidTime()) {
      recordTime(draft.recordTimeMicros(), prefix + ".record_time");
    }
    duration(draft.executionTimeSeconds(), prefix + ".duration");
    String report = draft.reportPath().isEmpty() ? "" : paths.normalize(draft.reportPath(), prefix + ".report_path");
    List<InputFile> inputs = inputs(draft.inputFiles(), prefix + ".input_files");
    List<OutputFile> outputs = outputs(draft.outputFiles(), prefix + ".output_files");
    String host = optionalText(draft.hostname(), prefix + ".hostname", 255);
    extraFields(draft.extraFields(), LogFileCodec.RUN_KEYS, prefix + ".extra_fields");
    Execution run = draft.toBuilder().runId(runId).taskId(taskId).taskType(taskType).reportPath(report)
        .inputFiles(inputs).outputFiles(outputs).hostname(host).build();
    weight(run, prefix);
    return run;
  }

  /** Refuses a run heavier than the limit: every history page and answer that holds it must stay readable. */
  public void weight(Execution run, String field) {
    long bytes = RunWeight.of(run);
    if (bytes > limits.maxRunBytes()) {
      throw ExecLogException.tooLarge(ErrorReason.RUN_TOO_LARGE, field, limits.maxRunBytes(), field + ": the run weighs "
          + bytes + " bytes (its texts and extra values), over the limit of " + limits.maxRunBytes() + " (--max-run-bytes)");
    }
  }

  /**
   * Checks the keys and sizes of extra fields: the spec's own keys keep their typed fields and
   * their validation, so they may not come in as extras.
   */
  public void extraFields(Map<String, JsonNode> fields, Set<String> reserved, String field) {
    if (fields.size() > MAX_EXTRA_FIELDS) {
      throw ExecLogException.invalid(field, fields.size() + " keys is over the limit of " + MAX_EXTRA_FIELDS);
    }
    for (Map.Entry<String, JsonNode> e : new TreeMap<>(fields).entrySet()) {
      String key = e.getKey();
      String keyField = field + "[\"" + key + "\"]";
      if (key.isEmpty()) {
        throw ExecLogException.invalid(field, "keys must not be empty");
      }
      optionalText(key, field + " key", MAX_ID_LENGTH);
      if (reserved.contains(key)) {
        throw ExecLogException.invalid(keyField, key + " is one of the spec's keys; set it through its own field");
      }
      storable(e.getValue(), keyField);
      int size = JsonValues.text(e.getValue()).getBytes(StandardCharsets.UTF_8).length;
      if (size > MAX_EXTRA_VALUE_BYTES) {
        throw ExecLogException.invalid(keyField, "is " + size + " bytes of JSON, over the limit of " + MAX_EXTRA_VALUE_BYTES);
      }
    }
  }

  /** Every string and key inside a JSON value must be writable as UTF-8. */
  private static void storable(JsonNode node, String field) {
    if (node.isTextual()) {
      TextRules.storable(node.textValue(), field);
    }
    node.fieldNames().forEachRemaining(name -> TextRules.storable(name, field));
    node.elements().forEachRemaining(child -> storable(child, field));
  }

  public String taskId(String value, String field) {
    return requiredText(value, field, MAX_ID_LENGTH);
  }

  public String runId(String value, String field) {
    if (value == null || value.isEmpty()) {
      throw ExecLogException.invalid(field, "a run id is required");
    }
    if (value.length() > MAX_ID_LENGTH || !UUID_FORM.matcher(value).matches()) {
      throw ExecLogException.invalid(field, "must be a UUID such as 123e4567-e89b-12d3-a456-426614174000");
    }
    return value.toLowerCase(Locale.ROOT);
  }

  /** A run id to look up: any stored id, since files from the reference library may hold other forms. */
  public String lookupRunId(String value, String field) {
    return requiredText(value, field, MAX_ID_LENGTH);
  }

  public void recordTime(long micros, String field) {
    if (micros < 0) {
      throw ExecLogException.invalid(field, "must not be before 1970-01-01T00:00:00Z");
    }
    if (micros > Timestamps.nowMicros() + MAX_CLOCK_SKEW_MICROS) {
      throw ExecLogException.invalid(field, "is more than a day ahead of the server's clock");
    }
  }

  public void duration(double seconds, String field) {
    if (Double.isNaN(seconds) || seconds < 0) {
      throw ExecLogException.invalid(field, "must not be negative");
    }
    if (seconds > MAX_DURATION_SECONDS) {
      throw ExecLogException.invalid(field, "is longer than 100 years");
    }
  }

  public List<InputFile> inputs(List<InputFile> files, String field) {
    fileCount(files.size(), field);
    List<InputFile> normalized = new ArrayList<>(files.size());
    for (int i = 0; i < files.size(); i++) {
      InputFile f = files.get(i);
      String path = paths.normalize(f.path(), field + "[" + i + "].path");
      String name = f.name().isEmpty() ? PathPolicy.fileName(path) : optionalText(f.name(), field + "[" + i + "].name", MAX_ID_LENGTH);
      extraFields(f.extraFields(), INPUT_KEYS, field + "[" + i + "].extra_fields");
      normalized.add(new InputFile(name, path, f.extraFields()));
    }
    return normalized;
  }

  public List<OutputFile> outputs(List<OutputFile> files, String field) {
    fileCount(files.size(), field);
    List<OutputFile> normalized = new ArrayList<>(files.size());
    for (int i = 0; i < files.size(); i++) {
      OutputFile f = files.get(i);
      String path = paths.normalize(f.path(), field + "[" + i + "].path");
      String type = optionalText(f.type(), field + "[" + i + "].type", MAX_ID_LENGTH);
      String description = description(f.description(), field + "[" + i + "].description");
      extraFields(f.extraFields(), OUTPUT_KEYS, field + "[" + i + "].extra_fields");
      normalized.add(new OutputFile(path, type, description, f.extraFields()));
    }
    return normalized;
  }

  void fileCount(int count, String field) {
    if (count > limits.maxFilesPerRun()) {
      throw ExecLogException.invalid(field, count + " files is over the limit of " + limits.maxFilesPerRun()
          + " per run");
    }
  }

  private static String requiredText(String value, String field, int max) {
    if (value == null || value.isBlank()) {
      throw ExecLogException.invalid(field, "is required");
    }
    return optionalText(value, field, max);
  }

  static String optionalText(String value, String field, int max) {
    if (value == null) {
      return "";
    }
    String text = TextRules.name(value, field);
    if (text.length() > max) {
      throw ExecLogException.invalid(field, "is " + text.length() + " characters, over the limit of " + max);
    }
    if (!text.equals(text.strip())) {
      throw ExecLogException.invalid(field, "must not start or end with white space");
    }
    return text;
  }

  private static String description(String value, String field) {
    if (value == null) {
      return "";
    }
    if (value.length() > MAX_TEXT_LENGTH) {
      throw ExecLogException.invalid(field, "is " + value.length() + " characters, over the limit of " + MAX_TEXT_LENGTH);
    }
    return TextRules.freeText(value, field);
  }
}
