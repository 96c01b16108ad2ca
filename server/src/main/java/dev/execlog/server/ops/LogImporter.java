package dev.execlog.server.ops;

import dev.execlog.server.json.LoadProblem;
import dev.execlog.server.json.LoadedLog;
import dev.execlog.server.json.LogFileCodec;
import dev.execlog.server.json.LogFormatException;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.store.ExecutionStore;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Imports a log in the file's JSON format (spec: {@code import_execution_log}). The whole file is
 * parsed and every run checked before anything changes, and the change is one durable write: a
 * rejected or cancelled import leaves the log as it was.
 */
public final class LogImporter {

  /** How an import combines with the log. */
  public enum Mode { MERGE, REPLACE }

  /** The outcome. */
  public record Result(long importedCount, long skippedCount, long executionCount, boolean dryRun) {}

  private final ExecutionStore store;
  private final LogFileCodec codec;
  private final RunValidator validator;

  public LogImporter(ExecutionStore store, RunValidator validator) {
    this.store = store;
    this.codec = store.codec();
    this.validator = validator;
  }

  public Result run(InputStream file, long sizeBytes, Mode mode, boolean dryRun, ProgressSink progress) {
    return run(file, sizeBytes, mode, dryRun, PathRebase.NONE, progress);
  }

  /**
   * Run ids are stored in lower case, so {@code ABC…} and {@code abc…} in one file are one run
   * twice: the file's own duplicate check (exact text) cannot see them, this one does.
   */
  private static void refuseDuplicates(List<Execution> runs) {
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < runs.size(); i++) {
      Integer earlier = first.putIfAbsent(runs.get(i).runId(), i);
      if (earlier != null) {
        throw ExecLogException.invalid("executions[" + i + "].task_run_id", "run id " + runs.get(i).runId()
            + " appears more than once in the imported file (also at executions[" + earlier + "], ids differing only"
            + " in letter case are one id); remove the duplicate");
      }
    }
  }

  /** Imports, first rebasing paths written under another project root onto this one. */
  public Result run(InputStream file, long sizeBytes, Mode mode, boolean dryRun, PathRebase rebase,
      ProgressSink progress) {
    LoadedLog loaded;
    try {
      loaded = codec.read(file, done -> {
        progress.checkCancelled();
        progress.report("parse", done, 0, "reading runs");
      });
    } catch (LogFormatException e) {
      throw ExecLogException.invalid("chunk", "the imported file is not an execution log: " + e.getMessage());
    }
    if (!loaded.problems().isEmpty()) {
      LoadProblem first = loaded.problems().get(0);
      throw ExecLogException.invalid("chunk", "the imported file has " + loaded.problems().size()
          + " problem(s); first: " + first.field() + ": " + first.message());
    }
    int total = loaded.executions().size();
    Execution[] checked = new Execution[total];
    // Checking is independent per run: use every core, a slice at a time so progress keeps flowing.
    int slice = 16_384;
    for (int from = 0; from < total; from += slice) {
      progress.checkCancelled();
      progress.report("check", from, total, "checking runs");
      IntStream.range(from, Math.min(total, from + slice)).parallel().forEach(i ->
          checked[i] = validator.validate(rebase.apply(loaded.executions().get(i)), "executions[" + i + "]"));
    }
    List<Execution> runs = Arrays.asList(checked);
    refuseDuplicates(runs);
    progress.report("check", total, total, "checked " + total + " runs");
    progress.checkCancelled();
    if (mode == Mode.REPLACE) {
      if (!dryRun) {
        try (ExecutionStore.Maintenance claimed = store.startMaintenance()) {
          store.replace(loaded.metadata(), runs);
        }
        progress.committed(total, "replaced the log with " + total + " runs");
      }
      return new Result(total, 0, total, dryRun);
    }
    long imported;
    if (dryRun) {
      imported = store.read(view -> runs.stream().filter(r -> view.get(r.runId()) == null).count());
    } else {
      try (ExecutionStore.Maintenance claimed = store.startMaintenance()) {
        imported = store.merge(runs);
      }
      progress.committed(imported, "merged " + imported + " runs");
    }
    // A dry run changed nothing: say what the log would hold.
    long count = store.read(v -> (long) v.size()) + (dryRun ? imported : 0);
    return new Result(imported, total - imported, count, dryRun);
  }
}
