package dev.execlog.server.ops;

import dev.execlog.server.json.LogSnapshot;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.InputFile;
import dev.execlog.server.model.OutputFile;
import dev.execlog.server.model.TaskSummary;
import dev.execlog.server.paths.PathPolicy;
import dev.execlog.server.store.ExecutionStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the whole log in one pass over a snapshot (spec: {@code validate_execution_log}); the
 * reference compares every run with every other, which is quadratic. Each problem is reported once.
 */
public final class LogValidator {

  /** One problem; {@code runId} and {@code taskId} are empty when it concerns the log as a whole. */
  public record Problem(String runId, String taskId, String field, String message) {}

  /** The outcome. */
  public record Report(List<Problem> problems, long checkedCount) {
    public boolean valid() {
      return problems.isEmpty();
    }
  }

  private final ExecutionStore store;
  private final PathPolicy paths;

  public LogValidator(ExecutionStore store, PathPolicy paths) {
    this.store = store;
    this.paths = paths;
  }

  public Report run(ProgressSink progress) {
    try {
      return store.scan(snapshot -> check(snapshot, progress));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Report check(LogSnapshot snapshot, ProgressSink progress) {
    Set<Problem> problems = new LinkedHashSet<>();
    Map<String, Execution> latestByTask = new HashMap<>();
    Set<String> seen = new HashSet<>();
    long total = snapshot.executionCount();
    long done = 0;
    for (Execution run : snapshot.executions()) {
      check(run, problems);
      latestByTask.merge(run.taskId(), run,
          (a, b) -> b.recordTimeMicros() >= a.recordTimeMicros() ? b : a);
      if (!seen.add(run.runId())) {
        problems.add(new Problem(run.runId(), run.taskId(), "task_run_id",
            "run id appears more than once; every copy is kept, and get, update and remove act on the first"
                + " copy in file order"));
      }
      if ((++done & 0x3fff) == 0) {
        progress.checkCancelled();
        progress.report("runs", done, total, "checking runs");
      }
    }
    progress.report("runs", done, done, "checked " + done + " runs");
    for (TaskSummary summary : snapshot.summaries()) {
      Execution expected = latestByTask.get(summary.taskId());
      if (expected == null || !expected.runId().equals(summary.latest().runId())
          && expected.recordTimeMicros() != summary.latest().recordTimeMicros()) {
        problems.add(new Problem("", summary.taskId(), "tasks." + summary.taskId() + ".last_task_run_id",
            "the task summary does not point at the task's newest run"));
      }
    }
    progress.report("summaries", snapshot.summaries().size(), snapshot.summaries().size(), "checked task summaries");
    return new Report(new ArrayList<>(problems), done);
  }

  private void check(Execution run, Set<Problem> problems) {
    String id = run.runId();
    String task = run.taskId();
    for (Map.Entry<String, String> raw : run.rawValues().entrySet()) {
      problems.add(new Problem(id, task, raw.getKey(), describeRaw(run, raw.getKey(), raw.getValue())));
    }
    // An empty task_type is valid: the library records one when it is given one. A missing key is
    // reported above with the raw values.
    if (!run.hasValidTime() && !run.rawValues().containsKey("timestamp")) {
      problems.add(new Problem(id, task, "timestamp", "timestamp is missing or not an ISO-8601 time"));
    }
    if (Double.isNaN(run.executionTimeSeconds()) || run.executionTimeSeconds() < 0) {
      problems.add(new Problem(id, task, "execution_time", "execution time is negative"));
    }
    if (!run.reportPath().isEmpty()) {
      checkPath(run, "report_path", run.reportPath(), problems);
    }
    for (int i = 0; i < run.inputFiles().size(); i++) {
      InputFile f = run.inputFiles().get(i);
      checkPath(run, "input_files[" + i + "].path", f.path(), problems);
    }
    for (int i = 0; i < run.outputFiles().size(); i++) {
      OutputFile f = run.outputFiles().get(i);
      checkPath(run, "output_files[" + i + "].path", f.path(), problems);
    }
  }

  /** What a value not in the spec's form is, and how queries read it. */
  private static String describeRaw(Execution run, String key, String raw) {
    String found = raw.equals(Execution.ABSENT) ? key + " is missing" : key + " is " + abbreviate(raw) + " in the file";
    String readAs = switch (key) {
      case "success" -> "read as " + run.success();
      case "execution_time" -> "read as " + run.executionTimeSeconds() + " seconds";
      case "timestamp" -> "the run has no time: it sorts as the oldest and no age applies to it";
      case "input_files", "output_files" -> "read as " + (key.equals("input_files") ? run.inputFiles() : run.outputFiles()).size() + " files";
      default -> "read as \"" + abbreviate(switch (key) {
        case "task_type" -> run.taskType();
        case "report_path" -> run.reportPath();
        default -> run.hostname();
      }) + "\"";
    };
    return found + "; " + readAs + ", and kept as it is in the file until the run is changed";
  }

  private static String abbreviate(String text) {
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }

  private void checkPath(Execution run, String field, String path, Set<Problem> problems) {
    try {
      paths.checkLexically(path, field);
    } catch (ExecLogException e) {
      problems.add(new Problem(run.runId(), run.taskId(), field, e.getMessage()));
    }
  }
}
