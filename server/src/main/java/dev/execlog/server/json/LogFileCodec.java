package dev.execlog.server.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.InputFile;
import dev.execlog.server.model.LogMetadata;
import dev.execlog.server.model.OutputFile;
import dev.execlog.server.model.TaskSummary;
import dev.execlog.server.paths.PathPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Reads and writes the log file in the spec's format ("Execution Log Structure"), streaming, so a
 * large log is never held twice in memory. Keys the server does not know are kept and written back.
 */
public final class LogFileCodec {

  /** The spec's keys of a run; any other key is an extra field. */
  public static final Set<String> RUN_KEYS = Set.of("task_id", "task_type", "task_run_id", "timestamp",
      "success", "execution_time", "report_path", "input_files", "output_files", "hostname");
  /**
   * Spec keys a run may lack; a missing one stays missing in the file until the run changes. A run
   * notes the ones it has as bits of one int (bit i for key i), not in a set: a million runs would
   * build a million sets at start-up.
   */
  private static final List<String> OPTIONAL_RUN_KEYS = List.of("task_type", "timestamp", "success",
      "execution_time", "report_path", "input_files", "output_files", "hostname");
  private static final int ALL_OPTIONAL_KEYS = (1 << 8) - 1;
  private static final Set<String> TRUE_WORDS = Set.of("true", "1", "yes", "y", "on", "success", "succeeded");
  private static final Set<String> SUMMARY_KEYS = Set.of("task_type", "last_execution", "last_status",
      "last_report_path", "last_task_run_id");

  private final ObjectMapper mapper;
  private final JsonFactory factory;
  private final Timestamps timestamps;
  private final Interner interner;

  public LogFileCodec(Timestamps timestamps, Interner interner) {
    // The file is one document read piece by piece: a value is followed by the rest of the log.
    this.mapper = JsonValues.MAPPER.copy().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.factory = mapper.getFactory();
    // Callers own their streams: the fold must fsync the file after the generator is done with it.
    factory.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    // A run's strings are short, but a whole log is one document: lift the document-size limits.
    factory.setStreamReadConstraints(StreamReadConstraints.builder()
        .maxStringLength(64 * 1024 * 1024).maxNestingDepth(200).build());
    this.timestamps = timestamps;
    this.interner = interner;
  }

  public Timestamps timestamps() {
    return timestamps;
  }

  // ---------------------------------------------------------------- reading

  /** Reads a whole log. {@code onRun} is called with the count of runs read so far, for progress. */
  public LoadedLog read(InputStream in, LongConsumer onRun) throws LogFormatException {
    return read(in, onRun, null);
  }

  /**
   * Reads a whole log, handing each run to {@code sink} as soon as it is read instead of keeping it
   * (the returned log then has no runs), so a caller can index while the rest is still being parsed.
   * The sink's owner then reports repeated run ids itself (its index looks every id up anyway).
   */
  public LoadedLog read(InputStream in, LongConsumer onRun, Consumer<Execution> sink)
      throws LogFormatException {
    List<Execution> runs = new ArrayList<>();
    Consumer<Execution> keep = sink != null ? sink : runs::add;
    List<LoadProblem> problems = new ArrayList<>();
    Map<String, JsonNode> extras = new LinkedHashMap<>();
    Map<String, Map<String, JsonNode>> taskExtras = new LinkedHashMap<>();
    String created = null;
    String version = LogMetadata.FORMAT_VERSION;
    try (JsonParser p = factory.createParser(new StrictUtf8InputStream(in))) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new LogFormatException("the log must be a JSON object, found " + describe(p.currentToken()));
      }
      boolean sawExecutions = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken value = p.nextToken();
        switch (key) {
          case "executions" -> {
            expect(p, value, JsonToken.START_ARRAY, "executions");
            sawExecutions = true;
            // A sink that indexes the runs finds repeated ids itself, by the lookup it makes anyway.
            Set<String> seen = sink == null ? new HashSet<>() : null;
            Map<String, String> scratch = new LinkedHashMap<>();
            int index = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
              Execution run = readRun(p, new Label("executions", index), problems, scratch);
              if (seen != null && !seen.add(run.runId())) {
                problems.add(new LoadProblem(run.runId(), run.taskId(), "executions[" + index + "].task_run_id",
                    "run id " + run.runId() + " appears more than once"));
              }
              keep.accept(run);
              index++;
              if (onRun != null && (index & 1023) == 0) {
                onRun.accept(index);
              }
            }
          }
          case "tasks" -> {
            expect(p, value, JsonToken.START_OBJECT, "tasks");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String taskId = p.currentName();
              JsonToken t = p.nextToken();
              expect(p, t, JsonToken.START_OBJECT, "tasks." + taskId);
              JsonNode node = JsonValues.readExact(p);
              Map<String, JsonNode> unknown = new LinkedHashMap<>();
              node.fields().forEachRemaining(e -> {
                if (!SUMMARY_KEYS.contains(e.getKey())) {
                  unknown.put(e.getKey(), e.getValue());
                }
              });
              if (!unknown.isEmpty()) {
                taskExtras.put(taskId, unknown);
              }
            }
          }
          case "timestamp" -> created = value == JsonToken.VALUE_STRING ? p.getText() : null;
          case "version" -> version = value == JsonToken.VALUE_STRING ? p.getText() : version;
          case "last_modified" -> p.skipChildren();
          default -> extras.put(key, JsonValues.readExact(p));
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        throw new LogFormatException("unexpected " + describe(p.currentToken()) + at(p));
      }
      if (p.nextToken() != null) {
        throw new LogFormatException("text after the end of the log object" + at(p));
      }
      if (!sawExecutions) {
        problems.add(new LoadProblem("", "", "executions", "the log has no executions list"));
      }
    } catch (JsonProcessingException e) {
      throw new LogFormatException("not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() : ""), e);
    } catch (IOException e) {
      throw new LogFormatException("could not read the log: " + e.getMessage(), e);
    }
    return new LoadedLog(new LogMetadata(created, version, extras, taskExtras), runs, problems);
  }

  /** Reads one run object from a single JSON text (a journal entry). */
  public Execution readRun(String json) throws LogFormatException {
    try (JsonParser p = factory.createParser(json)) {
      p.nextToken();
      List<LoadProblem> problems = new ArrayList<>();
      return readRun(p, new Label("run", -1), problems, new LinkedHashMap<>());
    } catch (IOException e) {
      throw new LogFormatException("not valid JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Reads one run; {@code raw} is scratch space, emptied here, that the run copies what it needs
   * from (one map for a whole file instead of one a run).
   */
  private Execution readRun(JsonParser p, Label where, List<LoadProblem> problems, Map<String, String> raw)
      throws IOException, LogFormatException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      expect(p, p.currentToken(), JsonToken.START_OBJECT, where.toString());
    }
    String runId = null;
    String taskId = null;
    Execution.Builder run = Execution.builder("", "");
    raw.clear();
    int seen = 0;
    String timestampText = null;
    Map<String, JsonNode> extra = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken t = p.nextToken();
      switch (key) {
        case "task_run_id" -> runId = requireString(p, t, where, ".task_run_id");
        case "task_id" -> taskId = interner.intern(requireString(p, t, where, ".task_id"));
        case "task_type" -> {
          seen |= 1;
          run.taskType(interner.intern(lenientString(p, t, key, raw)));
        }
        case "timestamp" -> {
          seen |= 1 << 1;
          if (t == JsonToken.VALUE_STRING) {
            timestampText = p.getText();
          } else {
            raw.put(key, rawText(p, t));
          }
        }
        case "success" -> {
          seen |= 1 << 2;
          run.success(readSuccess(p, t, raw));
        }
        case "execution_time" -> {
          seen |= 1 << 3;
          readExecutionTime(p, t, run, raw);
        }
        case "report_path" -> {
          seen |= 1 << 4;
          run.reportPath(interner.intern(lenientString(p, t, key, raw)));
        }
        case "input_files" -> {
          seen |= 1 << 5;
          run.inputFiles(t == JsonToken.START_ARRAY ? readInputs(p, where) : notAList(p, t, key, raw));
        }
        case "output_files" -> {
          seen |= 1 << 6;
          run.outputFiles(t == JsonToken.START_ARRAY ? readOutputs(p, where) : notAList(p, t, key, raw));
        }
        case "hostname" -> {
          seen |= 1 << 7;
          run.hostname(interner.intern(lenientString(p, t, key, raw)));
        }
        default -> {
          if (extra == null) {
            extra = new LinkedHashMap<>();
          }
          extra.put(key, JsonValues.readExact(p));
        }
      }
    }
    if (runId == null || runId.isEmpty()) {
      throw new LogFormatException(where + ".task_run_id is missing" + at(p));
    }
    if (taskId == null || taskId.isEmpty()) {
      throw new LogFormatException(where + ".task_id is missing" + at(p));
    }
    if (seen != ALL_OPTIONAL_KEYS) {
      for (int i = 0; i < OPTIONAL_RUN_KEYS.size(); i++) {
        if ((seen & (1 << i)) == 0) {
          raw.put(OPTIONAL_RUN_KEYS.get(i), Execution.ABSENT);
        }
      }
    }
    Long parsed = timestampText == null ? null : timestamps.parseMicros(timestampText);
    if (parsed != null) {
      run.recordTimeMicros(parsed);
    } else {
      if (timestampText != null) {
        raw.put("timestamp", mapper.writeValueAsString(timestampText));
      }
      problems.add(new LoadProblem(runId, taskId, where + ".timestamp",
          timestampText == null ? "timestamp is missing or not a string" : "timestamp is not an ISO-8601 time: " + timestampText));
    }
    return run.runId(runId).taskId(taskId).extraFields(extra).rawValues(raw).build();
  }

  /** A text field; another scalar, null or a structure is kept raw and read as its text or empty. */
  private String lenientString(JsonParser p, JsonToken t, String key, Map<String, String> raw) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    String text = rawText(p, t);
    raw.put(key, text);
    return t.isScalarValue() && t != JsonToken.VALUE_NULL ? text : "";
  }

  /** {@code true}/{@code false}; other values are kept raw and read as Python would read a flag. */
  private boolean readSuccess(JsonParser p, JsonToken t, Map<String, String> raw) throws IOException {
    if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
      return t == JsonToken.VALUE_TRUE;
    }
    String text = rawText(p, t);
    raw.put("success", text);
    return switch (t) {
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDoubleValue() != 0 && !Double.isNaN(p.getDoubleValue());
      case VALUE_STRING -> TRUE_WORDS.contains(p.getText().trim().toLowerCase(Locale.ROOT));
      default -> false;
    };
  }

  /** A number in seconds; a number in a string is read, anything else is 0; the raw value is kept. */
  private void readExecutionTime(JsonParser p, JsonToken t, Execution.Builder run, Map<String, String> raw)
      throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      double seconds = p.getDoubleValue();
      if (Double.isFinite(seconds)) {
        run.executionTime(seconds, t == JsonToken.VALUE_NUMBER_INT);
        return;
      }
    }
    String text = rawText(p, t);
    raw.put("execution_time", text);
    double seconds = 0;
    if (t == JsonToken.VALUE_STRING) {
      try {
        seconds = Double.parseDouble(p.getText().trim());
      } catch (NumberFormatException e) {
        seconds = 0;
      }
    }
    run.executionTime(Double.isFinite(seconds) ? seconds : 0, false);
  }

  private List<InputFile> readInputs(JsonParser p, Label run) throws IOException, LogFormatException {
    List<InputFile> files = new ArrayList<>(2);
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        String path = interner.intern(p.getText());
        files.add(new InputFile(interner.intern(PathPolicy.fileName(path)), path));
        continue;
      }
      if (p.currentToken() != JsonToken.START_OBJECT) {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, run + ".input_files[" + files.size() + "]");
      }
      String name = "";
      String path = "";
      Map<String, JsonNode> extra = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken v = p.nextToken();
        switch (key) {
          case "name" -> name = optionalString(p, v, run, ".input_files[].name");
          case "path" -> path = optionalString(p, v, run, ".input_files[].path");
          default -> extra = putExtra(extra, key, p);
        }
      }
      files.add(new InputFile(interner.intern(name), interner.intern(path), extra));
    }
    return files;
  }

  private List<OutputFile> readOutputs(JsonParser p, Label run) throws IOException, LogFormatException {
    List<OutputFile> files = new ArrayList<>(3);
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        files.add(new OutputFile(interner.intern(p.getText()), "", ""));
        continue;
      }
      if (p.currentToken() != JsonToken.START_OBJECT) {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, run + ".output_files[" + files.size() + "]");
      }
      String path = "";
      String type = "";
      String description = "";
      Map<String, JsonNode> extra = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken v = p.nextToken();
        switch (key) {
          case "path" -> path = optionalString(p, v, run, ".output_files[].path");
          case "type" -> type = optionalString(p, v, run, ".output_files[].type");
          case "description" -> description = optionalString(p, v, run, ".output_files[].description");
          default -> extra = putExtra(extra, key, p);
        }
      }
      files.add(new OutputFile(interner.intern(path), interner.intern(type), interner.intern(description), extra));
    }
    return files;
  }

  private Map<String, JsonNode> putExtra(Map<String, JsonNode> extra, String key, JsonParser p) throws IOException {
    Map<String, JsonNode> map = extra != null ? extra : new LinkedHashMap<>();
    map.put(key, JsonValues.readExact(p));
    return map;
  }

  /** A file list that is not a list: kept raw, read as empty. */
  private <F> List<F> notAList(JsonParser p, JsonToken t, String key, Map<String, String> raw) throws IOException {
    raw.put(key, rawText(p, t));
    return List.of();
  }

  /** The JSON text of the value at the parser (consumed), as close to the file's spelling as Jackson allows. */
  private String rawText(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> p.getText();
      case VALUE_STRING -> mapper.writeValueAsString(p.getText());
      default -> mapper.writeValueAsString(mapper.readTree(p));
    };
  }

  // ---------------------------------------------------------------- writing

  /** Writes a whole log, pretty-printed like Python's {@code json.dump(indent=2)}. */
  public void write(OutputStream out, LogSnapshot snapshot, LongConsumer onRun) throws IOException {
    try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
      g.setPrettyPrinter(prettyPrinter());
      g.writeStartObject();
      g.writeObjectFieldStart("tasks");
      for (TaskSummary summary : snapshot.summaries()) {
        writeSummary(g, summary, snapshot.metadata().taskExtraFields().get(summary.taskId()));
      }
      g.writeEndObject();
      g.writeArrayFieldStart("executions");
      long count = 0;
      for (Execution run : snapshot.executions()) {
        writeRun(g, run);
        if (onRun != null && (++count & 1023) == 0) {
          onRun.accept(count);
        }
      }
      g.writeEndArray();
      String created = snapshot.metadata().createdText();
      g.writeStringField("timestamp", created != null ? created : timestamps.format(snapshot.lastModifiedMicros()));
      g.writeStringField("version", snapshot.metadata().version());
      g.writeStringField("last_modified", timestamps.format(snapshot.lastModifiedMicros()));
      for (Map.Entry<String, JsonNode> e : snapshot.metadata().extraFields().entrySet()) {
        g.writeFieldName(e.getKey());
        mapper.writeTree(g, e.getValue());
      }
      g.writeEndObject();
      g.writeRaw('\n');
    }
  }

  /** One run as compact single-line JSON (a journal entry). */
  public String writeRun(Execution run) {
    try (var w = new StringWriter(); JsonGenerator g = factory.createGenerator(w)) {
      writeRun(g, run);
      g.flush();
      return w.toString();
    } catch (IOException e) {
      throw new IllegalStateException("cannot happen with a StringWriter", e);
    }
  }

  public void writeRun(JsonGenerator g, Execution run) throws IOException {
    Map<String, String> raw = run.rawValues();
    g.writeStartObject();
    g.writeStringField("task_id", run.taskId());
    if (!writeRaw(g, "task_type", raw)) {
      g.writeStringField("task_type", run.taskType());
    }
    g.writeStringField("task_run_id", run.runId());
    if (!writeRaw(g, "timestamp", raw) && run.hasValidTime()) {
      g.writeStringField("timestamp", timestamps.format(run.recordTimeMicros()));
    }
    if (!writeRaw(g, "success", raw)) {
      g.writeBooleanField("success", run.success());
    }
    if (!writeRaw(g, "execution_time", raw)) {
      g.writeFieldName("execution_time");
      if (run.integerExecutionTime()) {
        g.writeNumber((long) run.executionTimeSeconds());
      } else {
        g.writeNumber(run.executionTimeSeconds());
      }
    }
    if (!writeRaw(g, "report_path", raw)) {
      g.writeStringField("report_path", run.reportPath());
    }
    if (!writeRaw(g, "input_files", raw)) {
      g.writeArrayFieldStart("input_files");
      for (InputFile f : run.inputFiles()) {
        g.writeStartObject();
        if (!f.name().isEmpty()) {
          g.writeStringField("name", f.name());
        }
        g.writeStringField("path", f.path());
        writeExtras(g, f.extraFields());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (!writeRaw(g, "output_files", raw)) {
      g.writeArrayFieldStart("output_files");
      for (OutputFile f : run.outputFiles()) {
        g.writeStartObject();
        g.writeStringField("path", f.path());
        g.writeStringField("type", f.type());
        g.writeStringField("description", f.description());
        writeExtras(g, f.extraFields());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (!writeRaw(g, "hostname", raw)) {
      g.writeStringField("hostname", run.hostname());
    }
    writeExtras(g, run.extraFields());
    g.writeEndObject();
  }

  /** Writes the file's own value of a spec key when the run keeps one; true when it did (or the key stays absent). */
  private static boolean writeRaw(JsonGenerator g, String key, Map<String, String> raw) throws IOException {
    String value = raw.get(key);
    if (value == null) {
      return false;
    }
    if (!value.equals(Execution.ABSENT)) {
      g.writeFieldName(key);
      g.writeRawValue(value);
    }
    return true;
  }

  private void writeExtras(JsonGenerator g, Map<String, JsonNode> extra) throws IOException {
    for (Map.Entry<String, JsonNode> e : extra.entrySet()) {
      g.writeFieldName(e.getKey());
      mapper.writeTree(g, e.getValue());
    }
  }

  private void writeSummary(JsonGenerator g, TaskSummary summary, Map<String, JsonNode> extra) throws IOException {
    Execution latest = summary.latest();
    g.writeObjectFieldStart(summary.taskId());
    g.writeStringField("task_type", latest.taskType());
    if (latest.hasValidTime()) {
      g.writeNumberField("last_execution", Math.floorDiv(latest.recordTimeMicros(), 1_000_000L));
    } else {
      g.writeNullField("last_execution");
    }
    g.writeStringField("last_status", latest.success() ? "success" : "failed");
    g.writeStringField("last_report_path", latest.reportPath());
    g.writeStringField("last_task_run_id", latest.runId());
    if (extra != null) {
      for (Map.Entry<String, JsonNode> e : extra.entrySet()) {
        g.writeFieldName(e.getKey());
        mapper.writeTree(g, e.getValue());
      }
    }
    g.writeEndObject();
  }

  public JsonFactory factory() {
    return factory;
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  private static DefaultPrettyPrinter prettyPrinter() {
    Separators separators = Separators.createDefaultInstance()
        .withObjectFieldValueSpacing(Separators.Spacing.AFTER);
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    return new DefaultPrettyPrinter(separators).withObjectIndenter(indenter).withArrayIndenter(indenter);
  }

  // ---------------------------------------------------------------- helpers

  /** Where in the file a run is, spelled out only when a message needs it. */
  private record Label(String list, int index) {
    @Override
    public String toString() {
      return index < 0 ? list : list + "[" + index + "]";
    }
  }

  private static void expect(JsonParser p, JsonToken actual, JsonToken expected, String where)
      throws LogFormatException {
    if (actual != expected) {
      throw new LogFormatException(where + " must be " + describe(expected) + ", found " + describe(actual) + at(p));
    }
  }

  // Field labels are only built when something is wrong: a million runs would build millions.
  private static String requireString(JsonParser p, JsonToken t, Object where, String field)
      throws IOException, LogFormatException {
    if (t != JsonToken.VALUE_STRING) {
      throw new LogFormatException(where + field + " must be a string, found " + describe(t) + at(p));
    }
    return p.getText();
  }

  private static String optionalString(JsonParser p, JsonToken t, Object where, String field)
      throws IOException, LogFormatException {
    if (t == JsonToken.VALUE_NULL) {
      return "";
    }
    return requireString(p, t, where, field);
  }

  private static String at(JsonParser p) {
    var loc = p.currentLocation();
    return loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "end of input";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.toString();
    };
  }
}
