package dev.execlog.server.ops;

import dev.execlog.server.json.Timestamps;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.InputFile;
import dev.execlog.server.model.OutputFile;
import dev.execlog.server.model.TaskSummary;
import dev.execlog.server.paths.PathPolicy;
import dev.execlog.server.store.HistoryPage;
import dev.execlog.server.store.HistoryQuery;
import dev.execlog.server.store.LogInfo;
import dev.execlog.server.store.ExecutionStore;
import dev.execlog.server.store.RecordOutcome;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The log's operations on single runs and their queries (spec: record, history, latest, producer,
 * track, update, remove, tasks). Transport-free: the gRPC layer decodes, calls, and encodes.
 */
public final class ExecutionLog {

  private static final DateTimeFormatter PYTHON_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
  private static final DateTimeFormatter PYTHON_MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

  private final ExecutionStore store;
  private final RunValidator validator;
  private final String defaultHostname;

  public ExecutionLog(ExecutionStore store, RunValidator validator, String defaultHostname) {
    this.store = store;
    this.validator = validator;
    this.defaultHostname = defaultHostname;
  }

  public ExecutionStore store() {
    return store;
  }

  public RunValidator validator() {
    return validator;
  }

  public RecordOutcome record(Execution draft) {
    Execution valid = validator.validate(draft, "execution");
    boolean timeGiven = valid.hasValidTime();
    boolean hostGiven = !valid.hostname().isEmpty();
    Execution complete = valid.toBuilder()
        .recordTimeMicros(timeGiven ? valid.recordTimeMicros() : Timestamps.nowMicros())
        .hostname(hostGiven ? valid.hostname() : defaultHostname)
        .build();
    return store.record(complete, timeGiven, hostGiven);
  }

  public Execution get(String runId) {
    String id = validator.lookupRunId(runId, "run_id");
    Execution run = store.read(view -> view.get(id));
    if (run == null) {
      throw ExecLogException.runNotFound("run_id", id);
    }
    return run;
  }

  public HistoryPage history(HistoryQuery query, HistoryPage.Position after, int limit) {
    if (query.taskId() != null) {
      validator.taskId(query.taskId(), "task_id");
    }
    if (query.startMicros() != null && query.endMicros() != null && query.startMicros() > query.endMicros()) {
      throw ExecLogException.invalid("start_time", "is after end_time");
    }
    return store.read(view -> view.history(query, after, limit));
  }

  public Execution latest(String taskId, boolean includeFailed) {
    String id = validator.taskId(taskId, "task_id");
    Execution run = store.read(view -> view.latest(id, !includeFailed));
    if (run == null) {
      throw ExecLogException.taskHasNoRun("task_id", id, "task " + id + " has no "
          + (includeFailed ? "" : "successful ") + "run");
    }
    return run;
  }

  /** The newest run that wrote the file (spec: find_task_by_output); NOT_FOUND when none did. */
  public Execution producer(String path) {
    String normalized = validator.paths().normalize(path, "path");
    Execution run = store.read(view -> view.newestProducer(normalized));
    if (run == null) {
      throw ExecLogException.producerNotFound("path", normalized, "no recorded run lists " + normalized + " among its outputs");
    }
    return run;
  }

  /** Runs that wrote the file, newest first; NOT_FOUND when none did. */
  public List<Execution> producers(String path) {
    String normalized = validator.paths().normalize(path, "path");
    List<Execution> runs = store.read(view -> view.producers(normalized));
    if (runs.isEmpty()) {
      throw ExecLogException.producerNotFound("path", normalized, "no recorded run lists " + normalized + " among its outputs");
    }
    return runs;
  }

  public Execution trackInputs(String taskId, List<String> paths) {
    String id = validator.taskId(taskId, "task_id");
    List<String> normalized = normalizeAll(paths);
    Map<String, JsonNode> addedAt = addedNow();
    return store.updateLatest(id, run -> {
      List<InputFile> files = appendNew(run.inputFiles(), InputFile::path, normalized,
          p -> new InputFile(PathPolicy.fileName(p), p, addedAt));
      if (files.size() == run.inputFiles().size()) {
        return run;
      }
      validator.fileCount(files.size(), "paths");
      Execution tracked = run.toBuilder().inputFiles(files).rawValues(Map.of()).build();
      validator.weight(tracked, "paths");
      return tracked;
    });
  }

  public Execution trackOutputs(String taskId, List<String> paths) {
    String id = validator.taskId(taskId, "task_id");
    List<String> normalized = normalizeAll(paths);
    Map<String, JsonNode> addedAt = addedNow();
    return store.updateLatest(id, run -> {
      List<OutputFile> files = appendNew(run.outputFiles(), OutputFile::path, normalized,
          p -> new OutputFile(p, extension(p), "", addedAt));
      if (files.size() == run.outputFiles().size()) {
        return run;
      }
      validator.fileCount(files.size(), "paths");
      Execution tracked = run.toBuilder().outputFiles(files).rawValues(Map.of()).build();
      validator.weight(tracked, "paths");
      return tracked;
    });
  }

  /**
   * The {@code added_at} key the reference library's track functions give each new entry: the
   * server's local time, zone-less, as Python's {@code datetime.now().isoformat()} writes it.
   */
  private static Map<String, JsonNode> addedNow() {
    LocalDateTime now = LocalDateTime.now().truncatedTo(ChronoUnit.MICROS);
    String text = now.getNano() == 0 ? now.format(PYTHON_SECONDS) : now.format(PYTHON_MICROS);
    return Map.of("added_at", JsonNodeFactory.instance.textNode(text));
  }

  /** The files with the paths not listed yet appended, in order; paths were normalized before. */
  private static <F> List<F> appendNew(List<F> files, Function<F, String> pathOf, List<String> paths,
      Function<String, F> make) {
    Set<String> known = new LinkedHashSet<>();
    files.forEach(f -> known.add(pathOf.apply(f)));
    List<F> all = new ArrayList<>(files);
    for (String p : paths) {
      if (known.add(p)) {
        all.add(make.apply(p));
      }
    }
    return all;
  }

  private List<String> normalizeAll(List<String> paths) {
    if (paths.isEmpty()) {
      throw ExecLogException.invalid("paths", "at least one path is required");
    }
    List<String> normalized = new ArrayList<>(paths.size());
    for (int i = 0; i < paths.size(); i++) {
      normalized.add(validator.paths().normalize(paths.get(i), "paths[" + i + "]"));
    }
    return normalized;
  }

  private static String extension(String path) {
    String name = PathPolicy.fileName(path);
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(dot + 1) : "";
  }

  /**
   * Changes the fields the mask names to the values in {@code values}; validates what it writes.
   * A changed run is written in the spec's form: raw values kept from a loaded file go.
   */
  public Execution update(Execution values, UpdateMask mask) {
    String runId = validator.lookupRunId(values.runId(), "execution.run_id");
    if (mask.isEmpty()) {
      throw ExecLogException.invalid("update_mask", "name at least one field to change");
    }
    if (mask.has(RunField.RECORD_TIME) && !values.hasValidTime()) {
      throw ExecLogException.invalid("execution.record_time", "is required when the mask names it");
    }
    return store.update(runId, "execution.run_id", current -> {
      Execution merged = merge(current, values, mask);
      if (!merged.hasValidTime()) {
        throw ExecLogException.invalid("execution.record_time",
            "the stored timestamp is not a time; name record_time in the mask and give one");
      }
      return validator.validate(merged, "execution");
    });
  }

  private static Execution merge(Execution current, Execution values, UpdateMask mask) {
    Execution.Builder merged = current.toBuilder().rawValues(Map.of());
    for (RunField field : mask.fields()) {
      field.copy(values, merged);
    }
    // Single extra keys (extra_fields.KEY) go on top: set when the update holds the key, else removed.
    Map<String, JsonNode> extras = new LinkedHashMap<>(
        mask.has(RunField.EXTRA_FIELDS) ? values.extraFields() : current.extraFields());
    for (String key : mask.extraKeys()) {
      JsonNode value = values.extraFields().get(key);
      if (value != null) {
        extras.put(key, value);
      } else {
        extras.remove(key);
      }
    }
    return merged.extraFields(extras).build();
  }

  public Execution delete(String runId) {
    return store.delete(validator.lookupRunId(runId, "run_id"));
  }

  /** Summaries after a task id, one more than asked so the caller knows whether more follow. */
  public List<TaskSummary> tasks(String afterTaskId, int limit) {
    return store.read(view -> view.summaries(afterTaskId, limit));
  }

  public LogInfo info() {
    return store.info();
  }
}
