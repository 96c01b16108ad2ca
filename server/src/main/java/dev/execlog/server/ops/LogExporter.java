package dev.execlog.server.ops;

import dev.execlog.server.json.JsonValues;
import dev.execlog.server.json.LogFileCodec;
import dev.execlog.server.json.LogSnapshot;
import dev.execlog.server.json.PythonText;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.InputFile;
import dev.execlog.server.model.OutputFile;
import dev.execlog.server.model.TaskSummary;
import dev.execlog.server.openlineage.OpenLineageWriter;
import dev.execlog.server.openlineage.RunEventEncoder;
import dev.execlog.server.store.ExecutionStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * Writes a consistent snapshot of the log as JSON (the file's own format), CSV (spec:
 * {@code export_execution_log}) or OpenLineage run events. Streams: memory use does not grow with the log.
 */
public final class LogExporter {

  /** The export formats: the file's JSON, the library's CSV, CSV with the files themselves, OpenLineage events. */
  public enum Format { JSON, CSV, CSV_WITH_FILES, OPENLINEAGE }

  /**
   * Which runs to export and how: {@code taskId} and {@code runId} null for all; {@code namespace}
   * is the OpenLineage job namespace, null for {@link RunEventEncoder#defaultNamespace()}.
   */
  public record Selection(String taskId, String runId, String namespace) {
    /** Every run. */
    public static final Selection ALL = new Selection(null, null, null);
  }

  /** The reference library's CSV columns, in its order. */
  public static final List<String> CSV_COLUMNS = List.of("task_id", "task_type", "task_run_id", "timestamp",
      "success", "execution_time", "report_path", "input_files_count", "output_files_count", "hostname");

  /** The columns of the CSV with files; the header row is written even when the log is empty. */
  public static final List<String> CSV_WITH_FILES_COLUMNS = List.of("task_run_id", "task_id", "task_type",
      "timestamp", "success", "execution_time", "report_path", "hostname", "input_files", "output_files");

  private final ExecutionStore store;
  private final LogFileCodec codec;

  public LogExporter(ExecutionStore store) {
    this.store = store;
    this.codec = store.codec();
  }

  /** The whole log in {@code format}, with no progress to report: for passes that copy or compare a log. */
  public long exportAll(Format format, OutputStream out) throws IOException {
    return export(format, Selection.ALL, out, ProgressSink.NONE);
  }

  /** Writes the export of the selected runs; returns the number of runs written. */
  public long export(Format format, Selection selection, OutputStream out, ProgressSink progress) throws IOException {
    return store.scan(whole -> {
      LogSnapshot snapshot = select(whole, selection);
      long total = snapshot.executionCount();
      progress.report("write", 0, total, "exporting " + total + " runs as " + format);
      if (format == Format.OPENLINEAGE) {
        String namespace = selection.namespace() == null ? RunEventEncoder.defaultNamespace() : selection.namespace();
        long written = new OpenLineageWriter(new RunEventEncoder(namespace)).write(snapshot, out, progress);
        progress.report("write", total, total, "exported " + written + " runs");
        return written;
      }
      if (format == Format.CSV) {
        writeCsv(CSV_COLUMNS, snapshot, this::libraryRow, out, progress);
      } else if (format == Format.CSV_WITH_FILES) {
        writeCsv(CSV_WITH_FILES_COLUMNS, snapshot, this::rowWithFiles, out, progress);
      } else {
        codec.write(out, snapshot, done -> {
          progress.checkCancelled();
          progress.report("write", done, total, "exporting");
        });
      }
      progress.report("write", total, total, "exported " + total + " runs");
      return total;
    });
  }

  /** The task's runs, or the one run asked for (as its task's whole history). */
  private static LogSnapshot select(LogSnapshot whole, Selection selection) {
    LogSnapshot snapshot = selection.taskId() == null ? whole : whole.ofTask(selection.taskId());
    if (selection.runId() == null) {
      return snapshot;
    }
    List<Execution> run = new ArrayList<>(1);
    for (Execution r : snapshot.executions()) {
      if (r.runId().equals(selection.runId())) {
        run.add(r);
        break;
      }
    }
    return LogSnapshot.of(run, run.stream().map(r -> new TaskSummary(r, 1)).toList(), snapshot.metadata(),
        snapshot.lastModifiedMicros());
  }

  private static void writeCsv(List<String> columns, LogSnapshot snapshot, Function<Execution, String[]> row,
      OutputStream out, ProgressSink progress) throws IOException {
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    w.write(String.join(",", columns));
    w.write("\r\n");
    long done = 0;
    for (Execution run : snapshot.executions()) {
      String[] cells = row.apply(run);
      for (int i = 0; i < cells.length; i++) {
        if (i > 0) {
          w.write(',');
        }
        w.write(csvCell(cells[i]));
      }
      w.write("\r\n");
      if ((++done & 0x3ff) == 0) {
        progress.checkCancelled();
        progress.report("write", done, snapshot.executionCount(), "exporting");
      }
    }
    w.flush();
  }

  /**
   * A row as the library's export writes it: each value as the file holds it, through Python's
   * {@code str()} ({@code True}, {@code 241}, {@code 45.2}); a value the file lacks gets the
   * library's default.
   */
  private String[] libraryRow(Execution run) {
    String time = run.hasValidTime() ? codec.timestamps().format(run.recordTimeMicros()) : raw(run, "timestamp", "");
    String success = run.rawValues().containsKey("success") ? raw(run, "success", "False") : PythonText.bool(run.success());
    String seconds = run.rawValues().containsKey("execution_time") ? raw(run, "execution_time", "0")
        : run.integerExecutionTime() ? Long.toString((long) run.executionTimeSeconds())
        : PythonText.floatRepr(run.executionTimeSeconds());
    return new String[] {run.taskId(), raw(run, "task_type", run.taskType()), run.runId(), time, success, seconds,
        raw(run, "report_path", run.reportPath()), Integer.toString(run.inputFiles().size()),
        Integer.toString(run.outputFiles().size()), raw(run, "hostname", run.hostname())};
  }

  /** The file's own value of a spec key as Python's str() spells it, or {@code otherwise} when the run has none. */
  private static String raw(Execution run, String key, String otherwise) {
    String raw = run.rawValues().get(key);
    if (raw == null) {
      return otherwise;
    }
    if (raw.equals(Execution.ABSENT)) {
      return key.equals("success") ? "False" : key.equals("execution_time") ? "0" : "";
    }
    try {
      return PythonText.str(JsonValues.MAPPER.readTree(raw));
    } catch (IOException e) {
      return otherwise;
    }
  }

  private String[] rowWithFiles(Execution run) {
    StringJoiner inputs = new StringJoiner(";");
    for (InputFile f : run.inputFiles()) {
      inputs.add(f.name() + "=" + f.path());
    }
    StringJoiner outputs = new StringJoiner(";");
    for (OutputFile f : run.outputFiles()) {
      outputs.add(f.path());
    }
    String time = run.hasValidTime() ? codec.timestamps().format(run.recordTimeMicros()) : "";
    return new String[] {run.runId(), run.taskId(), run.taskType(), time, Boolean.toString(run.success()),
        Double.toString(run.executionTimeSeconds()), run.reportPath(), run.hostname(), inputs.toString(),
        outputs.toString()};
  }

  /** RFC 4180 quoting; a leading formula character is prefixed so spreadsheets show text, not run it. */
  static String csvCell(String value) {
    String v = value;
    if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 && !isNumber(v)) {
      v = "'" + v;
    }
    if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }

  private static boolean isNumber(String v) {
    try {
      Double.parseDouble(v);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
