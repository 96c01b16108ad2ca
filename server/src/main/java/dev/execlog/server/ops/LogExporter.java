package dev.execlog.server.ops;

import dev.execlog.server.json.LogFileCodec;
import dev.execlog.server.json.LogSnapshot;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.InputFile;
import dev.execlog.server.model.OutputFile;
import dev.execlog.server.model.TaskSummary;
import dev.execlog.server.store.LogStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.StringJoiner;

/**
 * Writes a consistent snapshot of the log as JSON (the file's own format) or CSV (spec:
 * {@code export_execution_log}). Streams: memory use does not grow with the log.
 */
public final class LogExporter {

  /** The export formats. */
  public enum Format { JSON, CSV }

  /** The CSV columns, in order; the header row is written even when the log is empty. */
  public static final List<String> CSV_COLUMNS = List.of("task_run_id", "task_id", "task_type", "timestamp",
      "success", "execution_time", "report_path", "hostname", "input_files", "output_files");

  private final LogStore store;
  private final LogFileCodec codec;

  public LogExporter(LogStore store) {
    this.store = store;
    this.codec = store.codec();
  }

  /** Writes the export; returns the number of runs written. {@code taskId} null exports every task. */
  public long export(Format format, String taskId, OutputStream out, ProgressSink progress) throws IOException {
    LogSnapshot snapshot = filter(store.snapshot(), taskId);
    long total = snapshot.executions().size();
    progress.report("write", 0, total, "exporting " + total + " runs as " + format);
    if (format == Format.CSV) {
      writeCsv(snapshot.executions(), out, progress);
    } else {
      codec.write(out, snapshot, done -> {
        progress.checkCancelled();
        progress.report("write", done, total, "exporting");
      });
    }
    progress.report("write", total, total, "exported " + total + " runs");
    return total;
  }

  private static LogSnapshot filter(LogSnapshot snapshot, String taskId) {
    if (taskId == null) {
      return snapshot;
    }
    List<Execution> runs = snapshot.executions().stream().filter(r -> r.taskId().equals(taskId)).toList();
    List<TaskSummary> summaries = snapshot.summaries().stream().filter(s -> s.taskId().equals(taskId)).toList();
    return new LogSnapshot(runs, summaries, snapshot.metadata(), snapshot.lastModifiedMicros());
  }

  private void writeCsv(List<Execution> runs, OutputStream out, ProgressSink progress) throws IOException {
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    w.write(String.join(",", CSV_COLUMNS));
    w.write("\r\n");
    long done = 0;
    for (Execution run : runs) {
      StringJoiner inputs = new StringJoiner(";");
      for (InputFile f : run.inputFiles()) {
        inputs.add(f.name() + "=" + f.path());
      }
      StringJoiner outputs = new StringJoiner(";");
      for (OutputFile f : run.outputFiles()) {
        outputs.add(f.path());
      }
      String time = run.hasValidTime() ? codec.timestamps().format(run.recordTimeMicros()) : "";
      String[] cells = {run.runId(), run.taskId(), run.taskType(), time, Boolean.toString(run.success()),
          Double.toString(run.executionTimeSeconds()), run.reportPath(), run.hostname(), inputs.toString(),
          outputs.toString()};
      for (int i = 0; i < cells.length; i++) {
        if (i > 0) {
          w.write(',');
        }
        w.write(csvCell(cells[i]));
      }
      w.write("\r\n");
      if ((++done & 0x3ff) == 0) {
        progress.checkCancelled();
        progress.report("write", done, runs.size(), "exporting");
      }
    }
    w.flush();
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
